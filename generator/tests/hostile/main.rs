//! The hostile-input suite: specs and output folders from strangers. Each case asserts the
//! outcome (the error and its pointer or path, no file outside `--out` touched, no owned file
//! lost) and runs under [`support::timed`], which guards against hangs and records how long the
//! case took in the suite's report (`target/tmp/hostile-report.tsv`, and on stderr). Timings are
//! a report, not assertions: these machines are shared and noisy.
//!
//! One module per class of hostile input.

mod input;
mod names;
mod output;
mod scale;
mod support;
