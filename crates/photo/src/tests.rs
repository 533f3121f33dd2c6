#![allow(clippy::unwrap_used)]

use super::*;
use crate::fixtures::png;
use image::{ImageEncoder, Rgb, Rgba, RgbaImage};

fn jpeg_with_exif(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, Rgb([200, 40, 40]));
    let mut plain = Vec::new();
    JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&image)
        .expect("jpeg");
    // APP1 "Exif": a big-endian TIFF header and one IFD entry, Orientation (0x0112), SHORT.
    let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 33.4489 S 70.6693 W");
    let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
    out.extend_from_slice(&((tiff.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_large_photo_is_shrunk_to_800_px_keeping_its_proportions() {
    let photo = process(&png(1600, 1200)).expect("processed");
    assert_eq!((photo.width, photo.height), (800, 600));
    assert_eq!(dimensions(&photo.jpeg), Ok((800, 600)));
    assert_eq!(photo.hash, PhotoHash::of(&photo.jpeg));
    assert_eq!(&photo.jpeg[..2], &[0xff, 0xd8], "a JPEG");
}

#[test]
fn a_small_photo_is_not_enlarged() {
    let photo = process(&png(300, 500)).expect("processed");
    assert_eq!(dimensions(&photo.jpeg), Ok((300, 500)));
}

#[test]
fn the_same_upload_gives_the_same_name() {
    let upload = png(900, 400);
    assert_eq!(
        process(&upload).unwrap().hash,
        process(&upload).unwrap().hash
    );
}

#[test]
fn the_thumbnail_fits_200_px() {
    let photo = process(&png(1600, 1200)).expect("processed");
    let thumb = thumbnail(&photo.jpeg).expect("thumb");
    assert_eq!(dimensions(&thumb), Ok((200, 150)));
    assert_eq!(
        thumb,
        thumbnail(&photo.jpeg).unwrap(),
        "the same on every server"
    );
}

#[test]
fn exif_turns_the_photo_upright_and_is_then_dropped() {
    let upload = jpeg_with_exif(400, 200, 6);
    assert!(contains(&upload, b"Exif") && contains(&upload, b"GPS"));
    let photo = process(&upload).expect("processed");
    assert_eq!(
        (photo.width, photo.height),
        (200, 400),
        "rotated a quarter turn"
    );
    assert!(!contains(&photo.jpeg, b"Exif"));
    assert!(!contains(&photo.jpeg, b"GPS"));
}

#[test]
fn transparency_is_laid_on_white() {
    let image = RgbaImage::from_pixel(40, 40, Rgba([0, 0, 0, 0]));
    let mut upload = Vec::new();
    image::codecs::png::PngEncoder::new(&mut upload)
        .write_image(image.as_raw(), 40, 40, image::ExtendedColorType::Rgba8)
        .expect("png");
    let photo = process(&upload).expect("processed");
    let decoded = image::load_from_memory(&photo.jpeg).unwrap().to_rgb8();
    let Rgb([r, g, b]) = *decoded.get_pixel(20, 20);
    assert!(
        r > 245 && g > 245 && b > 245,
        "white, not black: {r} {g} {b}"
    );
}

#[test]
fn what_is_not_an_image_is_refused() {
    assert_eq!(
        process(b"%PDF-1.7 not a photo"),
        Err(PhotoError::Unsupported)
    );
    assert_eq!(process(b""), Err(PhotoError::Unsupported));
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert_eq!(process(gif), Err(PhotoError::Unsupported));
    let mut truncated = png(50, 50);
    truncated.truncate(60);
    assert!(matches!(process(&truncated), Err(PhotoError::Corrupt(_))));
}

#[test]
fn an_upload_over_8_mb_is_refused_before_decoding() {
    let mut big = png(10, 10);
    big.resize(MAX_UPLOAD_BYTES + 1, 0);
    assert_eq!(process(&big), Err(PhotoError::TooLarge));
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_is_refused_by_its_header() {
    // A PNG whose header claims 50 000 × 50 000 RGB pixels (7.5 GB) in a few bytes.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0d".to_vec();
    bomb.extend_from_slice(&ihdr);
    bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    bomb.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
    assert!(
        matches!(process(&bomb), Err(PhotoError::TooManyPixels(_))),
        "{:?}",
        process(&bomb)
    );
}

#[test]
fn received_bytes_must_match_their_name_and_be_one_of_our_jpegs() {
    let photo = process(&png(640, 480)).expect("processed");
    assert_eq!(verify(&photo.hash, &photo.jpeg), Ok(()));
    let other = PhotoHash::of(b"something else");
    assert_eq!(verify(&other, &photo.jpeg), Err(PhotoError::HashMismatch));
    let upload = png(64, 64);
    assert_eq!(
        verify(&PhotoHash::of(&upload), &upload),
        Err(PhotoError::Unsupported)
    );
    let mut big = Vec::new();
    JpegEncoder::new(&mut big)
        .encode_image(&RgbImage::new(1200, 10))
        .unwrap();
    assert!(matches!(
        verify(&PhotoHash::of(&big), &big),
        Err(PhotoError::TooManyPixels(_))
    ));
}
