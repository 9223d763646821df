// The files last opened on a page, as a menu beside its file picker in the page's command
// bar: the newest first, each by its name with the full path on hover. Choosing one asks
// Rust to admit it again (only a file the store lists as recent for this page), then
// opens it as a chosen file.
import { useState } from "react";
import { Menu, MenuButton, MenuItem, MenuList, MenuPopover, MenuTrigger } from "@fluentui/react-components";
import { HistoryRegular } from "@fluentui/react-icons";
import { errorMessage, recentFiles, type RecentPage } from "../api";

/** A path's last part, as a file manager names the file. */
const fileName = (path: string) => path.replace(/^.*[\\/]/, "");

export function RecentFiles({
  page,
  onOpen,
  onError,
}: {
  page: RecentPage;
  /** Opens the path, now admitted as if chosen in the Open dialog. */
  onOpen: (path: string) => void;
  onError: (message: string) => void;
}) {
  const [files, setFiles] = useState<string[] | null>(null);
  // Read when the menu opens, so that a file opened since is there.
  const load = (open: boolean) => {
    if (open) recentFiles.list(page).then(setFiles, (e: unknown) => onError(errorMessage(e)));
  };
  const choose = (path: string) =>
    recentFiles.choose(page, path).then(
      () => onOpen(path),
      (e: unknown) => onError(errorMessage(e)),
    );
  return (
    <Menu onOpenChange={(_, data) => load(data.open)}>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton appearance="subtle" icon={<HistoryRegular />} data-testid={`${page}-recent`}>
          Recent
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {files?.length === 0 && <MenuItem disabled>No files opened yet</MenuItem>}
          {files?.map((path) => (
            <MenuItem key={path} title={path} onClick={() => void choose(path)} data-testid="recent-file">
              {fileName(path)}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
