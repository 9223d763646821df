//! The Doctor's ticked-off manual steps, saved per account and loaded back.

use dynbridge_store::{doctor, paths::CONFIG_DIR_ENV};

#[test]
fn ticks_are_kept_per_account_and_cleared_when_none_are_left() {
    let dir = std::env::temp_dir().join(format!("dynbridge-store-doctor-{}", std::process::id()));
    // The only test in this binary that sets the variable, so no other test races it.
    std::env::set_var(CONFIG_DIR_ENV, &dir);
    assert!(doctor::load("prod").unwrap().is_empty());
    doctor::save("prod", &["A1".into(), "B4".into()]).unwrap();
    doctor::save("test", &["A2".into()]).unwrap();
    assert_eq!(doctor::load("prod").unwrap(), ["A1", "B4"]);
    assert_eq!(doctor::load("test").unwrap(), ["A2"]);
    doctor::save("prod", &[]).unwrap();
    assert!(doctor::load("prod").unwrap().is_empty());
    assert_eq!(doctor::load("test").unwrap(), ["A2"]);
    std::fs::write(dir.join("doctor-ticks.json"), b"[").unwrap();
    assert!(doctor::load("test")
        .unwrap_err()
        .to_string()
        .contains("doctor-ticks.json"));
    std::fs::remove_dir_all(dir).unwrap();
}
