//! The HTTP side of menu photos, the same on both servers: the upload body, the errors,
//! the processing off the async threads, the names under `/media/` and the cached answer.
//! The image work itself is `dysa_photo`.

use crate::error::{ApiError, for_status};
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use dysa_domain::sync::rows::PhotoHash;
use dysa_photo::{MAX_UPLOAD_BYTES, Photo, PhotoError};

/// The body limit of a photo route: an 8 MB upload (the server-wide limit is smaller);
/// over it answers 413 before the bytes are kept.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_UPLOAD_BYTES)
}

/// The content types a photo upload may declare. The bytes are still checked by content:
/// a PDF labelled `image/jpeg` is refused with 422.
pub const UPLOAD_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// A photo upload: the raw image as the body, `Content-Type` one of [`UPLOAD_TYPES`]
/// (415 otherwise), at most [`MAX_UPLOAD_BYTES`] (413).
#[derive(Debug)]
pub struct PhotoBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for PhotoBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_image = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                UPLOAD_TYPES
                    .iter()
                    .any(|t| mime.trim().eq_ignore_ascii_case(t))
            });
        if !is_image {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Se esperaba una foto JPEG, PNG o WebP",
                "Expected a JPEG, PNG or WebP photo",
            ));
        }
        let bytes = crate::extract::read_body(req, state).await?;
        Ok(PhotoBody(bytes))
    }
}

impl From<PhotoError> for ApiError {
    fn from(error: PhotoError) -> Self {
        match error {
            PhotoError::TooLarge => for_status(StatusCode::PAYLOAD_TOO_LARGE),
            PhotoError::Unsupported => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_an_image",
                "El archivo no es una foto JPEG, PNG o WebP",
                "The file is not a JPEG, PNG or WebP photo",
            ),
            PhotoError::TooManyPixels(detail) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "image_too_large",
                "La foto tiene demasiados píxeles (máximo 12.000 por lado)",
                format!("The photo has too many pixels ({detail})"),
            ),
            PhotoError::Corrupt(detail) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_image",
                "No se pudo leer la foto; prueba con otro archivo",
                format!("The photo could not be read ({detail})"),
            ),
            PhotoError::HashMismatch => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "hash_mismatch",
                "La foto no corresponde a su nombre",
                "The photo's bytes do not match its name",
            ),
        }
    }
}

/// Runs `work` (decoding, resizing: tens of milliseconds of CPU) on the blocking pool, so
/// the async threads keep answering orders meanwhile.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, PhotoError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(join) => Err(ApiError::internal(&join)),
    }
}

/// An upload turned into the stored photo and its thumbnail, off the async threads.
pub async fn process(upload: Bytes) -> Result<(Photo, Vec<u8>), ApiError> {
    off_thread(move || {
        let photo = dysa_photo::process(&upload)?;
        let thumb = dysa_photo::thumbnail(&photo.jpeg)?;
        Ok((photo, thumb))
    })
    .await
}

/// Bytes received under a name (one server to the other) checked and given their
/// thumbnail, off the async threads.
pub async fn verified(hash: PhotoHash, jpeg: Bytes) -> Result<(Photo, Vec<u8>), ApiError> {
    off_thread(move || {
        dysa_photo::verify(&hash, &jpeg)?;
        let (width, height) = dysa_photo::dimensions(&jpeg)?;
        let thumb = dysa_photo::thumbnail(&jpeg)?;
        let photo = Photo {
            hash,
            jpeg: jpeg.to_vec(),
            width,
            height,
        };
        Ok((photo, thumb))
    })
    .await
}

/// Which file of a photo a `/media/` name asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The photo, `{hash}.jpg`.
    Photo,
    /// Its thumbnail, `{hash}-thumb.jpg`.
    Thumb,
}

/// Reads a file name under `/media/`: `{hash}.jpg` or `{hash}-thumb.jpg`, nothing else
/// (so no name reaches storage that is not a hash).
pub fn media_name(file: &str) -> Option<(PhotoHash, Variant)> {
    let stem = file.strip_suffix(".jpg")?;
    let (hash, variant) = match stem.strip_suffix("-thumb") {
        Some(hash) => (hash, Variant::Thumb),
        None => (stem, Variant::Photo),
    };
    Some((hash.parse().ok()?, variant))
}

/// Who may keep a copy of a photo answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    /// Browsers and shared caches (the menu's public photos).
    Public,
    /// The signed-in browser only (the dashboard's copy, read with a session).
    Private,
}

/// The answer for a photo file: `image/jpeg`, cached for a year as immutable (the name is
/// the content's hash, so it never changes), with an ETag; a request that already holds
/// it (`If-None-Match`) gets 304 without the bytes.
pub fn serve(
    request: &HeaderMap,
    hash: &PhotoHash,
    variant: Variant,
    bytes: Vec<u8>,
    caching: Caching,
) -> Response {
    let tag = match variant {
        Variant::Photo => format!("\"{hash}\""),
        Variant::Thumb => format!("\"{hash}-thumb\""),
    };
    let mut cache = HeaderMap::new();
    cache.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(match caching {
            Caching::Public => "public, max-age=31536000, immutable",
            Caching::Private => "private, max-age=31536000, immutable",
        }),
    );
    if let Ok(etag) = HeaderValue::from_str(&tag) {
        cache.insert(header::ETAG, etag);
    }
    if caching == Caching::Public {
        // The widget shows the photos on the restaurant's own site, another origin: the
        // kit's default `same-origin` resource policy would keep them from loading there.
        cache.insert(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        );
    }
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        cache,
        [(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"))],
        bytes,
    )
        .into_response()
}

/// 404 for a photo name that is malformed or not held: the same answer, so a caller
/// learns nothing from the difference.
pub fn not_found() -> ApiError {
    ApiError::not_found("La foto", "The photo")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hash_names_are_media_names() {
        let hash = PhotoHash::of(b"x");
        assert_eq!(
            media_name(&format!("{hash}.jpg")),
            Some((hash.clone(), Variant::Photo))
        );
        assert_eq!(
            media_name(&format!("{hash}-thumb.jpg")),
            Some((hash.clone(), Variant::Thumb))
        );
        for bad in [
            format!("{hash}"),
            format!("{hash}.png"),
            format!("../{hash}.jpg"),
            format!("{}.jpg", hash.as_str().to_uppercase()),
            "x.jpg".to_owned(),
        ] {
            assert_eq!(media_name(&bad), None, "{bad}");
        }
    }
}
