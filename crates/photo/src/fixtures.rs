//! Test images shared by every suite that handles photos: this crate's unit tests, the
//! counter's `crates/appliance/tests/photos.rs` and the cloud's `sync-server/tests/photos.rs`
//! (both include this file with `#[path]`, so no feature of the crate changes and nothing
//! of it reaches a release build).

#![allow(dead_code)]

use image::ImageEncoder;

/// A `width` × `height` PNG of a colour gradient (never one flat colour, so a resize shows).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("png");
    out
}

/// The width and height of a JPEG.
pub fn jpeg_dimensions(jpeg: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).expect("jpeg");
    (image.width(), image.height())
}
