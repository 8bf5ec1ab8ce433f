#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pocketrec_fuzz::options::run(data));
