//! Request IDs and per-instance secrets.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// 64 unpredictable bits (the standard library seeds its hash keys from the OS).
pub fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(std::process::id() as u64);
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.finish()
}

/// The `x-amzn-RequestId` of request number `n` of an emulator whose random salt is `salt`: a
/// UUID (version 4 layout) whose last 60 bits are a bijection of `n`, so that no two requests of
/// one emulator share an ID (until 2^60 requests), and the salt keeps emulators apart.
pub fn request_id(salt: u64, n: u64) -> String {
    // Multiplying by an odd constant permutes the integers modulo 2^60.
    let mixed = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) & ((1 << 60) - 1);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        (salt >> 32) as u32,
        (salt >> 16) & 0xffff,
        salt & 0xfff,
        8 | ((salt >> 12) & 0x3),
        mixed >> 48,
        mixed & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_and_uuid_shaped() {
        let salt = random_u64();
        let mut seen = std::collections::HashSet::new();
        for n in 0..200_000 {
            let id = request_id(salt, n);
            assert_eq!(id.len(), 36, "{id}");
            assert!(seen.insert(id));
        }
        assert_ne!(request_id(1, 7), request_id(2, 7));
    }
}
