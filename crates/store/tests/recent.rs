//! The recent files of the Lists and Screen pop pages, saved and loaded back.

use std::path::PathBuf;

use dynbridge_store::paths::CONFIG_DIR_ENV;
use dynbridge_store::recent::{self, RecentPage, KEPT};

#[test]
fn each_page_keeps_its_newest_five_files_once_each() {
    let dir = std::env::temp_dir().join(format!("dynbridge-store-recent-{}", std::process::id()));
    // The only test in this binary that sets the variable, so no other test races it.
    std::env::set_var(CONFIG_DIR_ENV, &dir);
    assert!(recent::list(RecentPage::Lists).unwrap().is_empty());
    let file = |n: usize| PathBuf::from(format!("/exports/contacts-{n}.xlsx"));
    for n in 1..=7 {
        recent::add(RecentPage::Lists, &file(n)).unwrap();
    }
    recent::add(RecentPage::Lists, &file(4)).unwrap();
    recent::add(RecentPage::Screenpop, &file(1)).unwrap();
    let lists = recent::list(RecentPage::Lists).unwrap();
    assert_eq!(lists.len(), KEPT);
    assert_eq!(lists, [4, 7, 6, 5, 3].map(file));
    assert_eq!(recent::list(RecentPage::Screenpop).unwrap(), [file(1)]);
    std::fs::remove_dir_all(dir).unwrap();
}
