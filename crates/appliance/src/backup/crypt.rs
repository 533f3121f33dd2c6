//! The backup file format: a chunked AEAD stream (XChaCha20-Poly1305, 1 MiB chunks).
//!
//! Chunked rather than whole-file so a backup of any size is encrypted and decrypted in
//! bounded memory. The layout is `MAGIC | device id (16) | nonce prefix (16)` then, per
//! chunk, a little-endian `u32` ciphertext length and the ciphertext. Each chunk's nonce
//! is the random prefix and the chunk's index; its associated data is the header, the
//! index and a last-chunk flag — the STREAM construction — so chunks cannot be
//! reordered, dropped, cut off at the end or spliced from another backup without the
//! authentication failing.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::io::{Read, Write};

/// First bytes of every backup file (format version 1).
pub const MAGIC: &[u8; 8] = b"DYSABAK1";
/// Plaintext bytes per chunk.
const CHUNK: usize = 1024 * 1024;
/// Poly1305 tag length.
const TAG: usize = 16;
/// Header length: magic, device id, nonce prefix.
pub const HEADER_LEN: usize = 8 + 16 + 16;

/// Why a backup file could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum CryptError {
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Not a backup file of this format.
    #[error("not a ChatBotDysa backup (unknown header)")]
    NotABackup,
    /// The key is wrong or the file was changed, cut or spliced.
    #[error("the backup does not authenticate: wrong key, or the file was altered or cut")]
    Tampered,
}

/// The device id written in a backup's header (readable without the key, so a restore
/// knows which key to ask the keyring for).
pub fn read_device_id(reader: &mut impl Read) -> Result<uuid::Uuid, CryptError> {
    let header = read_header(reader)?;
    Ok(device_of(&header))
}

fn device_of(header: &[u8; HEADER_LEN]) -> uuid::Uuid {
    let mut id = [0u8; 16];
    id.copy_from_slice(&header[8..24]);
    uuid::Uuid::from_bytes(id)
}

fn read_header(reader: &mut impl Read) -> Result<[u8; HEADER_LEN], CryptError> {
    let mut header = [0u8; HEADER_LEN];
    reader.read_exact(&mut header).map_err(|error| {
        if error.kind() == std::io::ErrorKind::UnexpectedEof {
            CryptError::NotABackup
        } else {
            CryptError::Io(error)
        }
    })?;
    if &header[..8] != MAGIC {
        return Err(CryptError::NotABackup);
    }
    Ok(header)
}

fn nonce(header: &[u8; HEADER_LEN], index: u64) -> XNonce {
    let mut bytes = [0u8; 24];
    bytes[..16].copy_from_slice(&header[24..40]);
    bytes[16..].copy_from_slice(&index.to_be_bytes());
    XNonce::from(bytes)
}

fn aad(header: &[u8; HEADER_LEN], index: u64, last: bool) -> Vec<u8> {
    let mut aad = Vec::with_capacity(HEADER_LEN + 9);
    aad.extend_from_slice(header);
    aad.extend_from_slice(&index.to_be_bytes());
    aad.push(u8::from(last));
    aad
}

fn cipher(key: &[u8]) -> Result<XChaCha20Poly1305, CryptError> {
    XChaCha20Poly1305::new_from_slice(key).map_err(|_| CryptError::Tampered)
}

/// Reads as many bytes as fit in `buf` (fewer only at the end of input).
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Encrypts all of `plain` into `out` with the 32-byte `key`.
pub fn encrypt(
    key: &[u8],
    device_id: uuid::Uuid,
    plain: &mut impl Read,
    out: &mut impl Write,
) -> Result<(), CryptError> {
    let cipher = cipher(key)?;
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(MAGIC);
    header[8..24].copy_from_slice(device_id.as_bytes());
    rand::fill(&mut header[24..40]);
    out.write_all(&header)?;
    let mut current = vec![0u8; CHUNK];
    let mut next = vec![0u8; CHUNK];
    let mut len = read_full(plain, &mut current)?;
    let mut index = 0u64;
    loop {
        // Read ahead: a chunk is the last one when nothing follows it.
        let next_len = if len == CHUNK {
            read_full(plain, &mut next)?
        } else {
            0
        };
        let last = next_len == 0;
        let sealed = cipher
            .encrypt(
                &nonce(&header, index),
                Payload {
                    msg: &current[..len],
                    aad: &aad(&header, index, last),
                },
            )
            .map_err(|_| CryptError::Tampered)?;
        let sealed_len = u32::try_from(sealed.len()).map_err(|_| CryptError::Tampered)?;
        out.write_all(&sealed_len.to_le_bytes())?;
        out.write_all(&sealed)?;
        if last {
            break;
        }
        std::mem::swap(&mut current, &mut next);
        len = next_len;
        index += 1;
    }
    out.flush()?;
    Ok(())
}

/// Reads one chunk's length prefix; `None` at the clean end of the input.
fn read_len(reader: &mut impl Read) -> Result<Option<usize>, CryptError> {
    let mut bytes = [0u8; 4];
    let got = read_full(reader, &mut bytes)?;
    match got {
        0 => Ok(None),
        4 => {
            let len = u32::from_le_bytes(bytes) as usize;
            if !(TAG..=CHUNK + TAG).contains(&len) {
                return Err(CryptError::Tampered);
            }
            Ok(Some(len))
        }
        _ => Err(CryptError::Tampered),
    }
}

/// Decrypts a backup written by [`encrypt`] into `out`; any change to the file, a wrong
/// key or a missing end fails with [`CryptError::Tampered`] (what was written to `out`
/// by then must be thrown away). Returns the device id from the header.
pub fn decrypt(
    key: &[u8],
    sealed: &mut impl Read,
    out: &mut impl Write,
) -> Result<uuid::Uuid, CryptError> {
    let cipher = cipher(key)?;
    let header = read_header(sealed)?;
    let mut index = 0u64;
    let mut len = read_len(sealed)?.ok_or(CryptError::Tampered)?;
    let mut buf = vec![0u8; CHUNK + TAG];
    loop {
        if read_full(sealed, &mut buf[..len])? != len {
            return Err(CryptError::Tampered);
        }
        let next = read_len(sealed)?;
        let last = next.is_none();
        let plain = cipher
            .decrypt(
                &nonce(&header, index),
                Payload {
                    msg: &buf[..len],
                    aad: &aad(&header, index, last),
                },
            )
            .map_err(|_| CryptError::Tampered)?;
        out.write_all(&plain)?;
        match next {
            None => break,
            Some(next) => {
                len = next;
                index += 1;
            }
        }
    }
    out.flush()?;
    Ok(device_of(&header))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn roundtrip(size: usize) {
        let key = [7u8; 32];
        let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let device = uuid::Uuid::now_v7();
        let mut sealed = Vec::new();
        encrypt(&key, device, &mut plain.as_slice(), &mut sealed).unwrap();
        let mut back = Vec::new();
        assert_eq!(
            decrypt(&key, &mut sealed.as_slice(), &mut back).unwrap(),
            device
        );
        assert_eq!(back, plain);
    }

    #[test]
    fn every_size_comes_back_unchanged() {
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 5] {
            roundtrip(size);
        }
    }

    #[test]
    fn a_cut_reordered_or_flipped_file_is_refused() {
        let key = [9u8; 32];
        let plain = vec![1u8; 2 * CHUNK + 10];
        let mut sealed = Vec::new();
        encrypt(&key, uuid::Uuid::nil(), &mut plain.as_slice(), &mut sealed).unwrap();
        let decrypts = |bytes: &[u8]| decrypt(&key, &mut &bytes[..], &mut Vec::new()).is_ok();
        assert!(decrypts(&sealed));
        // Cut after the first two chunks: no chunk says it is the last.
        let cut = HEADER_LEN + 2 * (4 + CHUNK + TAG);
        assert!(!decrypts(&sealed[..cut]));
        let mut flipped = sealed.clone();
        flipped[HEADER_LEN + 100] ^= 1;
        assert!(!decrypts(&flipped));
        let mut other_device = sealed.clone();
        other_device[10] ^= 1;
        assert!(!decrypts(&other_device));
        assert!(decrypt(&[8u8; 32], &mut sealed.as_slice(), &mut Vec::new()).is_err());
    }
}
