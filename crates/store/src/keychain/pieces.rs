//! How a secret is laid out in keychain entries.
//!
//! Windows Credential Manager holds at most 2,560 bytes per entry, which keyring fills
//! with UTF-16, and Entra refresh tokens can be longer than that. A secret over
//! [`PIECE_CHARS`] is therefore kept in numbered pieces, and its main entry says
//! `dynbridge-pieces:<generation>:<count>`.
//!
//! Every entry name is derived from the account id, so the entries can be found again
//! by name where the keychain cannot be searched (Windows, macOS through keyring): the
//! main entry `<id>/<kind>`, and pieces `<id>/<kind>#<generation>.<index>` whose
//! generation is one of two [`SLOTS`]. A new long secret is written into the slot the
//! main entry does not point at, then the main entry switches to it, then the other
//! slot is emptied: the old secret stays whole until the switch. Pieces are written
//! from the first and deleted from the last, so a write or delete that stops half-way
//! leaves a run of pieces that starts at index 0 and can be probed for.
//!
//! Builds before the slots used the time in nanoseconds as the generation; such
//! secrets are still read, and replaced or deleted through their main entry.

use super::SecretKind;

/// The longest secret kept in one entry, in characters: 600 UTF-16 characters of at
/// most 4 bytes fit the 2,560 bytes of a Windows credential.
pub(super) const PIECE_CHARS: usize = 600;

/// How a main entry that points at pieces begins.
const PIECES_MARK: &str = "dynbridge-pieces:";

/// The generations pieces are written under.
pub(super) const SLOTS: [u64; 2] = [0, 1];

/// A main entry's pointer to the pieces of a long secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pieces {
    pub generation: u64,
    pub count: usize,
}

impl Pieces {
    /// The pointer in a main entry's text, if it is one.
    pub fn parse(main: &str) -> Option<Self> {
        let (generation, count) = main.strip_prefix(PIECES_MARK)?.split_once(':')?;
        Some(Self {
            generation: generation.parse().ok()?,
            count: count.parse().ok()?,
        })
    }

    /// The main entry's text pointing at these pieces.
    pub fn mark(self) -> String {
        format!("{PIECES_MARK}{}:{}", self.generation, self.count)
    }

    /// The slot a new long secret goes to while these pieces (if any) are current.
    pub fn free_slot(current: Option<Self>) -> u64 {
        match current {
            Some(pieces) if pieces.generation == SLOTS[0] => SLOTS[1],
            _ => SLOTS[0],
        }
    }
}

/// The secret's text cut into pieces, or `None` when it fits the main entry.
pub(super) fn split(text: &str) -> Option<Vec<String>> {
    if text.chars().count() <= PIECE_CHARS {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    Some(
        chars
            .chunks(PIECE_CHARS)
            .map(|piece| piece.iter().collect())
            .collect(),
    )
}

/// The main entry name: `<account id>/<kind>`.
pub(super) fn main_name(account_id: &str, kind: SecretKind) -> String {
    format!("{}{}", account_prefix(account_id), kind.label())
}

/// The entry name of a piece: `<account id>/<kind>#<generation>.<index>`.
pub(super) fn piece_name(
    account_id: &str,
    kind: SecretKind,
    generation: u64,
    index: usize,
) -> String {
    format!("{}#{generation}.{index}", main_name(account_id, kind))
}

/// How the name of every entry of an account begins.
pub(super) fn account_prefix(account_id: &str) -> String {
    format!("{account_id}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_and_the_free_slot_is_never_the_current_one() {
        let current = Pieces {
            generation: 1,
            count: 4,
        };
        assert_eq!(Pieces::parse(&current.mark()), Some(current));
        assert_eq!(Pieces::parse("plain secret"), None);
        assert_eq!(Pieces::free_slot(Some(current)), 0);
        assert_eq!(
            Pieces::free_slot(Some(Pieces {
                generation: 0,
                ..current
            })),
            1
        );
        assert_eq!(Pieces::free_slot(None), 0);
        let legacy = Pieces {
            generation: 1_732_000_000_000_000_000,
            count: 2,
        };
        assert_eq!(Pieces::free_slot(Some(legacy)), 0);
    }

    #[test]
    fn a_secret_is_cut_only_when_longer_than_one_piece() {
        assert_eq!(split(&"x".repeat(PIECE_CHARS)), None);
        let pieces = split(&"é".repeat(2 * PIECE_CHARS + 1)).unwrap();
        assert_eq!(
            pieces.iter().map(|p| p.chars().count()).collect::<Vec<_>>(),
            [PIECE_CHARS, PIECE_CHARS, 1]
        );
    }
}
