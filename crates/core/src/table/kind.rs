//! What a file really is, decided from its content (magic bytes, zip entries, compound
//! file streams), never from its name: administrators rename files, and a message must
//! say what the file is.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// The kinds of file a list might be, or be mistaken for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Empty,
    /// Office Open XML workbook (zip with `xl/workbook.xml`).
    Xlsx,
    /// Excel binary workbook (zip with `xl/workbook.bin`).
    Xlsb,
    /// OpenDocument spreadsheet (zip whose `mimetype` says so).
    Ods,
    /// Excel 97–2003 workbook (compound file with a `Workbook` or `Book` stream).
    Xls,
    /// An Office Open XML file saved with a password (compound file with
    /// `EncryptionInfo`/`EncryptedPackage`).
    Encrypted,
    /// A zip archive that cannot be opened.
    BrokenZip(String),
    /// Anything else that is not text: what it is, for messages.
    Other(&'static str),
    /// Text (CSV, TXT); encoding and content are checked when it is read.
    Text,
}

impl FileKind {
    /// "an Excel 97–2003 workbook (.xls)", for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Empty => "an empty file",
            Self::Xlsx => "an Excel workbook (.xlsx)",
            Self::Xlsb => "an Excel binary workbook (.xlsb); save it as .xlsx in Excel",
            Self::Ods => "an OpenDocument spreadsheet (.ods)",
            Self::Xls => "an Excel 97–2003 workbook (.xls)",
            Self::Encrypted => "a password-protected (encrypted) Office file",
            Self::BrokenZip(_) => "a damaged zip archive",
            Self::Other(what) => what,
            Self::Text => "a text (CSV) file",
        }
    }

    /// The extension the kind is read as, for "it was read as .xls".
    pub fn read_as(&self) -> &'static str {
        match self {
            Self::Xlsx => ".xlsx",
            Self::Ods => ".ods",
            Self::Xls => ".xls",
            _ => "CSV",
        }
    }

    /// Whether a file named with `extension` (lower case, no dot) is misnamed.
    pub fn misnamed(&self, extension: &str) -> bool {
        let expected: &[&str] = match self {
            Self::Xlsx => &["xlsx", "xlsm"],
            Self::Ods => &["ods"],
            Self::Xls => &["xls"],
            Self::Text => &["csv", "txt", "tsv", "tab", ""],
            _ => return false,
        };
        !expected.contains(&extension)
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
pub(crate) const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the first bytes alone say, for kinds that need no further look; `None` for
/// zip and compound files (see [`detect`]) and for text.
pub fn sniff_magic(head: &[u8]) -> Option<FileKind> {
    let other = |what| Some(FileKind::Other(what));
    match head {
        [] => Some(FileKind::Empty),
        [b'%', b'P', b'D', b'F', b'-', ..] => other("a PDF document"),
        [b'M', b'Z', ..] => other("a Windows program or library (.exe, .dll)"),
        [0x7F, b'E', b'L', b'F', ..] => other("a Linux program (ELF)"),
        [0xFE, 0xED, 0xFA, 0xCE | 0xCF, ..]
        | [0xCE | 0xCF, 0xFA, 0xED, 0xFE, ..]
        | [0xCA, 0xFE, 0xBA, 0xBE, ..] => other("a macOS program (Mach-O)"),
        [0x89, b'P', b'N', b'G', ..] => other("a PNG image"),
        [0xFF, 0xD8, 0xFF, ..] => other("a JPEG image"),
        [b'G', b'I', b'F', b'8', ..] => other("a GIF image"),
        [0x1F, 0x8B, ..] => other("a gzip archive"),
        [b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C, ..] => other("a 7-Zip archive"),
        [b'R', b'a', b'r', b'!', ..] => other("a RAR archive"),
        [b'{', b'\\', b'r', b't', b'f', ..] => other("a Rich Text document (.rtf)"),
        _ => None,
    }
}

/// Decides what the file at `path` is from its content.
pub fn detect(path: &Path) -> std::io::Result<FileKind> {
    let mut head = [0u8; 8];
    let mut file = File::open(path)?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..])? {
            0 => break,
            n => read += n,
        }
    }
    let head = &head[..read];
    if head.starts_with(ZIP_MAGIC) || head.starts_with(ZIP_EMPTY) {
        return Ok(zip_kind(path));
    }
    if head.starts_with(CFB_MAGIC) {
        return cfb_kind(file);
    }
    Ok(sniff_magic(head).unwrap_or(FileKind::Text))
}

fn zip_kind(path: &Path) -> FileKind {
    let archive = File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(BufReader::new(f)).map_err(|e| e.to_string()));
    let mut archive = match archive {
        Ok(archive) => archive,
        Err(reason) => return FileKind::BrokenZip(reason),
    };
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.bin") {
        return FileKind::Xlsb;
    }
    // A workbook, possibly damaged (then reading it says what is missing).
    if has("xl/workbook.xml") || archive.file_names().flatten().any(|n| n.starts_with("xl/")) {
        return FileKind::Xlsx;
    }
    if has("word/document.xml") {
        return FileKind::Other("a Word document (.docx)");
    }
    if has("ppt/presentation.xml") {
        return FileKind::Other("a PowerPoint presentation (.pptx)");
    }
    if let Ok(entry) = archive.by_name("mimetype") {
        let mut mimetype = String::new();
        let _ = entry.take(200).read_to_string(&mut mimetype);
        return if mimetype
            .trim()
            .starts_with("application/vnd.oasis.opendocument.spreadsheet")
        {
            FileKind::Ods
        } else {
            FileKind::Other("an OpenDocument file that is not a spreadsheet")
        };
    }
    FileKind::Other("a zip archive, not a workbook")
}

/// Tells the compound-file kinds apart by their streams' names, scanning the
/// directory entries (128 bytes each, sector-aligned after the 512-byte header).
fn cfb_kind(file: File) -> std::io::Result<FileKind> {
    fn utf16(name: &str) -> Vec<u8> {
        name.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    let names: [(&str, FileKind); 6] = [
        ("EncryptionInfo", FileKind::Encrypted),
        ("EncryptedPackage", FileKind::Encrypted),
        ("Workbook", FileKind::Xls),
        ("Book", FileKind::Xls),
        (
            "WordDocument",
            FileKind::Other("a Word 97–2003 document (.doc)"),
        ),
        (
            "PowerPoint Document",
            FileKind::Other("a PowerPoint 97–2003 presentation (.ppt)"),
        ),
    ];
    let wanted: Vec<(Vec<u8>, &FileKind)> = names.iter().map(|(n, k)| (utf16(n), k)).collect();
    let mut reader = BufReader::new(file);
    // The 8 magic bytes are read; skip the rest of the header.
    let mut entry = [0u8; 128];
    std::io::copy(&mut (&mut reader).take(504), &mut std::io::sink())?;
    let mut found: Option<FileKind> = None;
    loop {
        match reader.read_exact(&mut entry) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        }
        let name_len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        let is_stream = entry[66] == 2;
        if !is_stream || !(2..=64).contains(&name_len) {
            continue;
        }
        let name = &entry[..name_len - 2];
        if let Some((_, kind)) = wanted.iter().find(|(n, _)| n == name) {
            if **kind == FileKind::Encrypted {
                return Ok(FileKind::Encrypted);
            }
            found.get_or_insert_with(|| (*kind).clone());
        }
    }
    Ok(found.unwrap_or(FileKind::Other(
        "an Office 97–2003 file that is not a workbook",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_name_common_files() {
        assert_eq!(sniff_magic(b""), Some(FileKind::Empty));
        assert_eq!(
            sniff_magic(b"%PDF-1.4"),
            Some(FileKind::Other("a PDF document"))
        );
        assert!(matches!(
            sniff_magic(b"\x7fELF\x02"),
            Some(FileKind::Other(_))
        ));
        assert_eq!(sniff_magic(b"Name,Phone"), None);
    }

    #[test]
    fn misnamed_compares_kind_and_extension() {
        assert!(FileKind::Xls.misnamed("xlsx"));
        assert!(!FileKind::Xlsx.misnamed("xlsm"));
        assert!(FileKind::Text.misnamed("xlsx"));
        assert!(!FileKind::Text.misnamed("csv"));
    }
}
