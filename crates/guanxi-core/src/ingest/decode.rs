//! Bytes to text: BOM sniffing, binary detection, UTF-8 validation and chardetng for legacy
//! Chinese encodings (GB18030/GBK, Big5). Never guesses silently: the encoding is returned.

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from a file, with the encoding that was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// The encoding's name as stored in the database (`UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `GB18030`, `Big5`…).
    pub encoding: String,
}

/// Why a file's bytes are not text Guanxi can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Zero bytes.
    #[error("empty file")]
    Empty,
    /// Only spaces, tabs and line breaks.
    #[error("only whitespace, no text")]
    WhitespaceOnly,
    /// A known binary format (by its magic number) or NUL bytes.
    #[error("binary file ({0}), not text")]
    Binary(&'static str),
    /// UTF-8 that ends in the middle of a character.
    #[error("UTF-8 truncated in the middle of a character at byte {0} (incomplete download?)")]
    TruncatedUtf8(usize),
    /// Not valid in any supported encoding.
    #[error("not text in any supported encoding (UTF-8, UTF-16, GB18030/GBK, Big5); best guess {guess} fails at byte {offset}")]
    Undecodable {
        /// The encoding chardetng found most likely.
        guess: &'static str,
        /// Where decoding failed.
        offset: usize,
    },
    /// Text, but with too many control characters to be prose.
    #[error("mostly control characters, not prose text")]
    ControlCharacters,
}

/// Magic numbers of binary formats people rename to `.txt` or drop into news folders by mistake.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"SQLite format 3\0", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "Microsoft Office document"),
];

/// The binary format `head` starts with (by magic number), or `contains NUL bytes`; `None` for
/// what may be text. (A file of another format renamed to a text extension.)
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
    if Encoding::for_bom(head).is_some() {
        return None;
    }
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(what);
    }
    head.contains(&0).then_some("contains NUL bytes")
}

/// Decodes a whole file. Detection order: BOM, binary signatures, strict UTF-8, then chardetng
/// restricted to what decodes without a single error.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let decoded = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let name = if encoding == UTF_8 { "UTF-8 (BOM)".to_string() } else { encoding.name().to_string() };
        let body = &bytes[bom_len..];
        let text = if encoding == UTF_8 { utf8(body)?.to_string() } else { strict(encoding, body)? };
        Decoded { text, encoding: name }
    } else {
        if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
            return Err(DecodeError::Binary(what));
        }
        if bytes.contains(&0) {
            return Err(DecodeError::Binary("contains NUL bytes"));
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Decoded { text: text.to_string(), encoding: "UTF-8".to_string() },
            Err(error) if error.error_len().is_none() => return Err(DecodeError::TruncatedUtf8(error.valid_up_to())),
            Err(error) => legacy(bytes, error.valid_up_to())?,
        }
    };
    check_prose(&decoded.text)?;
    Ok(decoded)
}

/// Validates UTF-8, telling truncation apart from other damage.
fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|error| match error.error_len() {
        None => DecodeError::TruncatedUtf8(error.valid_up_to()),
        Some(_) => DecodeError::Undecodable { guess: "UTF-8", offset: error.valid_up_to() },
    })
}

/// Decodes with no replacement characters allowed: any malformed sequence is an error.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let offset = text.find('\u{FFFD}').unwrap_or(0);
            Err(DecodeError::Undecodable { guess: encoding.name(), offset })
        }
    }
}

/// Legacy Chinese encodings: chardetng's guess first, then the other candidates; the first that
/// decodes cleanly wins. GBK is reported as GB18030 (its superset, decoded identically).
fn legacy(bytes: &[u8], utf8_error_at: usize) -> Result<Decoded, DecodeError> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let guess = if guess == encoding_rs::GBK { GB18030 } else { guess };
    let mut candidates = vec![guess];
    for other in [GB18030, BIG5, UTF_16LE, UTF_16BE] {
        if !candidates.contains(&other) {
            candidates.push(other);
        }
    }
    for encoding in candidates {
        // Only Chinese encodings are accepted: a Windows-1252 guess means "not Chinese text".
        if ![GB18030, BIG5].contains(&encoding) {
            continue;
        }
        if let Ok(text) = strict(encoding, bytes) {
            return Ok(Decoded { text, encoding: encoding.name().to_string() });
        }
    }
    Err(DecodeError::Undecodable { guess: guess.name(), offset: utf8_error_at })
}

/// Rejects text that is empty after trimming or is mostly control characters.
fn check_prose(text: &str) -> Result<(), DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    let total = text.chars().count();
    let control = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    if control * 10 > total {
        return Err(DecodeError::ControlCharacters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "江门日报讯(记者/李雨溪)近日,区委书记袁加伟主持召开疫情防控座谈会。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(PAGE.as_bytes()).unwrap().encoding, "UTF-8");
        let with_bom = [b"\xef\xbb\xbf".as_slice(), PAGE.as_bytes()].concat();
        let decoded = decode(&with_bom).unwrap();
        assert_eq!(decoded.encoding, "UTF-8 (BOM)");
        assert_eq!(decoded.text, PAGE);
    }

    #[test]
    fn gb18030_and_utf16_round_trip() {
        let (gb, _, _) = GB18030.encode(PAGE);
        let decoded = decode(&gb).unwrap();
        assert_eq!((decoded.encoding.as_str(), decoded.text.as_str()), ("gb18030", PAGE));

        let mut le = vec![0xff, 0xfe];
        le.extend(PAGE.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, PAGE);
        let mut be = vec![0xfe, 0xff];
        be.extend(PAGE.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn big5_traditional_text() {
        let text = "臺灣的記者報導了這個新聞,市政府表示將會繼續關注。";
        let (big5, _, unmappable) = BIG5.encode(text);
        assert!(!unmappable);
        let decoded = decode(&big5).unwrap();
        assert_eq!((decoded.encoding.as_str(), decoded.text.as_str()), ("Big5", text));
    }

    #[test]
    fn bad_inputs_are_named() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t \r\n"), Err(DecodeError::WhitespaceOnly));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(DecodeError::Binary("PNG image")));
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary("contains NUL bytes")));
        let bytes = PAGE.as_bytes();
        let truncated = &bytes[..bytes.len() - 2];
        assert!(matches!(decode(truncated), Err(DecodeError::TruncatedUtf8(_))));
    }
}
