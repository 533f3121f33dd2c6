//! Menu photos, done once for both servers.
//!
//! The counter (`dysa-appliance`) and the cloud (`dysa-cloud`) both take photo uploads (the
//! panel's menu editor, the owners' dashboard) and both serve them (the panel, the widget).
//! They must agree byte for byte: a photo is named by the sha256 of the JPEG made here
//! ([`PhotoHash`]), the name travels in the item's synced `photo` field, and the bytes
//! travel once under that name. So the decoding rules, the sizes and the encoder live in
//! this one crate, and the thumbnail is derived from the stored JPEG by the same code
//! wherever it is needed, so only one file per photo ever crosses the network.

use dysa_domain::sync::rows::PhotoHash;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// The largest upload taken, in bytes: a phone's full-size photo fits, a video does not.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The longest edge of a stored photo, in pixels: sharp on a phone's widget card and a
/// counter's dialog, about 60–120 KB as JPEG.
pub const PHOTO_EDGE: u32 = 800;

/// The longest edge of a thumbnail, in pixels: the menu editor's list and the counter's
/// item grid.
pub const THUMB_EDGE: u32 = 200;

/// The largest width or height decoded. A 48-megapixel phone photo is 8000×6000; a larger
/// header is a decompression bomb (a few KB of PNG claiming 100 000² pixels).
const MAX_DIMENSION: u32 = 12_000;

/// The most memory a decode may allocate (a 12 000² RGB image would need 432 MB).
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// JPEG quality: 82 keeps food photos free of visible blocks at about half the bytes of 95.
const QUALITY: u8 = 82;

/// Why an upload is not a photo we keep.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    /// More than [`MAX_UPLOAD_BYTES`].
    #[error("the photo is larger than {} MB", MAX_UPLOAD_BYTES / (1024 * 1024))]
    TooLarge,
    /// Not a JPEG, PNG or WebP (by its first bytes, whatever it was labelled).
    #[error("the file is not a JPEG, PNG or WebP image")]
    Unsupported,
    /// Declared dimensions beyond [`MAX_DIMENSION`] or memory beyond the limit.
    #[error("the image is too large to open ({0})")]
    TooManyPixels(String),
    /// A recognised format whose data does not decode.
    #[error("the image could not be read: {0}")]
    Corrupt(String),
    /// Bytes offered under a name that is not their sha256.
    #[error("the photo's bytes do not match its name")]
    HashMismatch,
}

/// A photo as stored: its name, its JPEG and its size in pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    /// The sha256 of `jpeg`.
    pub hash: PhotoHash,
    /// At most [`PHOTO_EDGE`] on its longest edge, no metadata.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Turns an upload (JPEG, PNG or WebP, up to [`MAX_UPLOAD_BYTES`]) into the stored photo:
/// decoded within the limits, turned upright by its EXIF orientation, shrunk to
/// [`PHOTO_EDGE`] (never enlarged), transparency laid on white, re-encoded as JPEG. The
/// re-encoding is what strips EXIF (a phone's GPS position among it).
pub fn process(upload: &[u8]) -> Result<Photo, PhotoError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let image = decode(
        upload,
        &[ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP],
    )?;
    let image = shrink(image, PHOTO_EDGE);
    let (width, height) = (image.width(), image.height());
    let jpeg = encode(&image)?;
    Ok(Photo {
        hash: PhotoHash::of(&jpeg),
        jpeg,
        width,
        height,
    })
}

/// Checks bytes received under a name (a counter's upload to the cloud, the cloud's answer
/// to a counter): they must be that name's sha256 and a JPEG this crate could have made,
/// so a device cannot park arbitrary files on the other server.
pub fn verify(hash: &PhotoHash, jpeg: &[u8]) -> Result<(), PhotoError> {
    if jpeg.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    if &PhotoHash::of(jpeg) != hash {
        return Err(PhotoError::HashMismatch);
    }
    let image = decode(jpeg, &[ImageFormat::Jpeg])?;
    if image.width().max(image.height()) > PHOTO_EDGE {
        return Err(PhotoError::TooManyPixels(format!(
            "{}×{} is beyond {PHOTO_EDGE} px",
            image.width(),
            image.height()
        )));
    }
    Ok(())
}

/// The thumbnail of a stored photo: at most [`THUMB_EDGE`] on its longest edge. Derived
/// from the stored JPEG by the same code on every server, so it needs no name of its own.
pub fn thumbnail(jpeg: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let image = decode(jpeg, &[ImageFormat::Jpeg])?;
    encode(&shrink(image, THUMB_EDGE))
}

/// The width and height of an encoded image, read from its header only.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), PhotoError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    reader
        .into_dimensions()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

/// Decodes by content (never by the label the client gave), within [`limits`], upright.
fn decode(bytes: &[u8], accepted: &[ImageFormat]) -> Result<DynamicImage, PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    match reader.format() {
        Some(format) if accepted.contains(&format) => {}
        _ => return Err(PhotoError::Unsupported),
    }
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().map_err(decode_error)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn decode_error(error: image::ImageError) -> PhotoError {
    match error {
        image::ImageError::Limits(limit) => PhotoError::TooManyPixels(limit.to_string()),
        image::ImageError::Unsupported(e) => PhotoError::Corrupt(e.to_string()),
        other => PhotoError::Corrupt(other.to_string()),
    }
}

/// Fits the image within `edge`×`edge`, keeping its proportions; a smaller one is kept as
/// it is (enlarging only blurs).
fn shrink(image: DynamicImage, edge: u32) -> DynamicImage {
    if image.width() <= edge && image.height() <= edge {
        image
    } else {
        // `thumbnail` averages areas: it does not alias on large reductions and runs in a
        // fraction of the time of a Lanczos resize of a 12-megapixel photo.
        image.thumbnail(edge, edge)
    }
}

/// JPEG at [`QUALITY`], transparency laid on white (a PNG's clear background would
/// otherwise come out black).
fn encode(image: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let rgb = if image.color().has_alpha() {
        on_white(image)
    } else {
        image.to_rgb8()
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    Ok(out)
}

fn on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            // c·a + 255·(255 − a), over 255, rounded: integer only, same result everywhere.
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
