//! CSV as spreadsheets write and read it: RFC 4180 quoting, UTF-8 with a
//! BOM and CRLF on the way out (so Excel opens it as UTF-8), and on the way
//! in UTF-8 (with or without BOM), UTF-16 with BOM, or Shift_JIS (as Excel
//! saves 「CSV (コンマ区切り)」).

/// Characters that make a spreadsheet read a cell as a formula. A cell
/// starting with one gets a leading `'` (the usual guard against formula
/// injection); the import removes it again.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell, quoted when it has to be and guarded against formulas.
pub fn cell(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(FORMULA_START) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A whole file: BOM, header, rows, each line ending in CRLF.
pub fn write(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| cell(c)).collect()));
    }
    out.into_bytes()
}

/// Removes the formula guard [`cell`] adds.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// How the bytes of a file were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Utf16,
    ShiftJis,
}

impl Encoding {
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 (BOM付き / with BOM)",
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16 (BOM付き / with BOM)",
            Encoding::ShiftJis => "Shift_JIS (Excel の CSV / Windows-31J)",
        }
    }
}

/// Decodes a spreadsheet export: a UTF-8 BOM or a UTF-16 BOM decides;
/// otherwise valid UTF-8 is UTF-8 and anything else is Shift_JIS
/// (Windows-31J, which `encoding_rs::SHIFT_JIS` implements). Bytes that
/// are not Shift_JIS either are an error.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Encoding::Utf8Bom))
            .map_err(|e| format!("the file starts with a UTF-8 BOM but is not UTF-8: {e}"));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        if bad {
            return Err("the file starts with a UTF-16 BOM but is not valid UTF-16".into());
        }
        return Ok((text.into_owned(), Encoding::Utf16));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    let (text, bad) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if bad {
        return Err(
            "the file is neither UTF-8 nor Shift_JIS: save it from the spreadsheet as 「CSV UTF-8 (コンマ区切り)」".into(),
        );
    }
    Ok((text.into_owned(), Encoding::ShiftJis))
}

/// Parses CSV (RFC 4180; also LF-only line ends and, when the first line
/// has tabs and no commas, tab-separated text). Returns the records; cells
/// keep their inner line breaks as `\n`.
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, String> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = if first_line.contains('\t') && !first_line.contains(',') {
        '\t'
    } else {
        ','
    };
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut at_cell_start = true;
    let mut line = 1usize;
    let mut quote_line = 0usize;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    cell.push('\n');
                }
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                in_quotes = true;
                quote_line = line;
                at_cell_start = false;
            }
            c if c == sep => {
                record.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                at_cell_start = true;
            }
            c => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    if in_quotes {
        return Err(format!(
            "a quoted cell that starts on line {quote_line} is never closed (a `\"` is missing)"
        ));
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    // Blank lines (a lone empty cell) are not records.
    records.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        let rows = vec![vec![
            "a,b".to_string(),
            "say \"hi\"".to_string(),
            "two\nlines".to_string(),
            "+81-82-555-0100".to_string(),
            "".to_string(),
        ]];
        let bytes = write(&["x", "y", "z", "p", "e"], &rows);
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Utf8Bom);
        assert!(text.ends_with("\r\n"));
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.len(), 2);
        let back: Vec<String> = parsed[1].iter().map(|c| unguard(c).to_string()).collect();
        assert_eq!(back, rows[0]);
    }

    #[test]
    fn shift_jis() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("名称,住所\r\n相談室,広島市\r\n");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::ShiftJis);
        assert_eq!(parse(&text).unwrap()[1], ["相談室", "広島市"]);
    }

    #[test]
    fn unclosed_quote() {
        assert!(parse("a,\"b\nc").unwrap_err().contains("line 1"));
    }
}
