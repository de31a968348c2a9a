//! The `hash` module: `md5`, `sha1`, `sha256`, `sha512` and `hmac_sha256(key, data)`, each
//! returning the digest as lowercase hex.

use std::fmt::Write;

use hmac::{Hmac, KeyInit, Mac};
use mlua::{Lua, Table};
use sha2::Digest;

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A hex digest function.
type HexDigest = fn(&[u8]) -> String;

fn digest<D: Digest>(data: &[u8]) -> String {
    hex(&D::digest(data))
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let algorithms: [(&str, HexDigest); 4] = [
        ("md5", digest::<md5::Md5>),
        ("sha1", digest::<sha1::Sha1>),
        ("sha256", digest::<sha2::Sha256>),
        ("sha512", digest::<sha2::Sha512>),
    ];
    for (name, f) in algorithms {
        t.raw_set(name, lua.create_function(move |_, s: mlua::LuaString| Ok(f(&s.as_bytes())))?)?;
    }
    t.raw_set(
        "hmac_sha256",
        lua.create_function(|_, (key, data): (mlua::LuaString, mlua::LuaString)| {
            // HMAC accepts keys of any length; this cannot fail.
            let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key.as_bytes())
                .map_err(|e| mlua::Error::runtime(format!("hash.hmac_sha256: {e}")))?;
            mac.update(&data.as_bytes());
            Ok(hex(&mac.finalize().into_bytes()))
        })?,
    )?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(digest::<md5::Md5>(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(digest::<sha2::Sha256>(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
