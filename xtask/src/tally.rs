//! Counting what passed and failed across checks and test runners, and reading the
//! counts out of their output.

/// Passed and failed counts, added up over the whole `cargo xtask test` run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// A check that is not a test runner (fmt, clippy, tsc, lint) counts as one.
    pub fn check(&mut self, ok: bool) {
        self.add(if ok {
            Tally {
                passed: 1,
                failed: 0,
            }
        } else {
            Tally {
                passed: 0,
                failed: 1,
            }
        });
    }
}

/// Sums libtest's `test result: ok. 3 passed; 1 failed; …` lines.
pub fn from_libtest_output(output: &str) -> Tally {
    let mut tally = Tally::default();
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            if let (Some(count), Some(kind)) = (words.next(), words.next()) {
                match (count.parse::<u64>(), kind) {
                    (Ok(n), "passed") => tally.passed += n,
                    (Ok(n), "failed") => tally.failed += n,
                    _ => {}
                }
            }
        }
    }
    tally
}

/// Reads Vitest's JSON report (`numPassedTests`, `numFailedTests`).
pub fn from_vitest_json(json: &str) -> Option<Tally> {
    let report: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(Tally {
        passed: report["numPassedTests"].as_u64()?,
        failed: report["numFailedTests"].as_u64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_libtest_result_lines_and_ignores_the_rest() {
        let output = "running 2 tests\ntest a ... ok\n\
            test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            test result: FAILED. 5 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out\n\
            test passed ... ok\n";
        assert_eq!(
            from_libtest_output(output),
            Tally {
                passed: 7,
                failed: 3
            }
        );
    }

    #[test]
    fn reads_vitest_counts() {
        let json = r#"{"numTotalTests":5,"numPassedTests":4,"numFailedTests":1}"#;
        assert_eq!(
            from_vitest_json(json),
            Some(Tally {
                passed: 4,
                failed: 1
            })
        );
        assert_eq!(from_vitest_json("not json"), None);
    }
}
