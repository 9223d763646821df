// Files dropped on the window, for the page shown: Tauri tells the whole webview of a
// drag over it and of the drop (Rust has then admitted the dropped paths for reading);
// every page opened stays mounted, so a hidden page ignores them.
import { useContext, useEffect, useEffectEvent, useState } from "react";
import { getCurrentWebview, type DragDropEvent } from "@tauri-apps/api/webview";
import { PageActiveContext } from "./pageActive";

/** Opens the first file dropped while the page shows; true while a file is dragged over it. */
export function useFileDrop(onDrop: (path: string) => void): boolean {
  const active = useContext(PageActiveContext);
  const [dragging, setDragging] = useState(false);
  const heard = useEffectEvent((event: DragDropEvent) => {
    setDragging(active && (event.type === "enter" || event.type === "over"));
    if (active && event.type === "drop" && event.paths[0]) onDrop(event.paths[0]);
  });
  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let live = true;
    getCurrentWebview()
      .onDragDropEvent((event) => heard(event.payload))
      .then(
        (stop) => (live ? (unlisten = stop) : stop()),
        () => {},
      );
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);
  return dragging;
}
