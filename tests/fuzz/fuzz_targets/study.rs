//! cargo-fuzz target: the study loader (see ../harness.rs for the input layout).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rankaudit_fuzz::{Target, check};

fuzz_target!(|data: &[u8]| check(Target::Study, data));
