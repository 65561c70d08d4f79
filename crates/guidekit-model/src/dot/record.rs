//! The labels of `record` and `Mrecord` nodes (`"<f0> left|{mid|<f1> right}"`), checked as Graphviz's
//! `parse_reclbl` (`lib/common/shapes.c`) checks them: `dot` refuses a node whose record label it cannot
//! read ("bad label format").

const HAS_TEXT: u8 = 1;
const HAS_PORT: u8 = 2;
const HAS_TABLE: u8 = 4;
const IN_TEXT: u8 = 8;
const IN_PORT: u8 = 16;

/// Checks a record label (after `\N` and `\G` are replaced); on error, the byte offset of the problem.
pub(super) fn check(label: &str) -> Result<(), usize> {
    let chars: Vec<(usize, char)> = label.char_indices().collect();
    let mut pos = 0;
    fields(&chars, &mut pos, true).map_err(|at| chars.get(at).map_or(label.len(), |(offset, _)| *offset))
}

/// Fields up to a `}` (or, at the top level, the end); on error, the index of the offending character.
fn fields(chars: &[(usize, char)], pos: &mut usize, top: bool) -> Result<(), usize> {
    let mut mode = 0u8;
    loop {
        let c = chars.get(*pos).map(|&(_, c)| c);
        match c {
            // Control characters are skipped.
            Some(c) if u32::from(c) < 0x20 => *pos += 1,
            Some('<') => {
                if mode & (HAS_TABLE | HAS_PORT) != 0 {
                    return Err(*pos);
                }
                mode |= HAS_PORT | IN_PORT;
                *pos += 1;
            }
            Some('>') => {
                if mode & IN_PORT == 0 {
                    return Err(*pos);
                }
                mode &= !IN_PORT;
                *pos += 1;
            }
            Some('{') => {
                *pos += 1;
                if mode != 0 || *pos >= chars.len() {
                    return Err(*pos - 1);
                }
                mode = HAS_TABLE;
                fields(chars, pos, false)?;
            }
            Some('}' | '|') | None => {
                if (c.is_none() && !top) || mode & IN_PORT != 0 {
                    return Err(*pos);
                }
                match c {
                    Some('}') => {
                        *pos += 1;
                        return Ok(());
                    }
                    Some(_) => {
                        mode = 0;
                        *pos += 1;
                    }
                    None => return Ok(()),
                }
            }
            Some('\\') => {
                match chars.get(*pos + 1).map(|&(_, c)| c) {
                    // `\{`, `\}`, `\|`, `\<`, `\>` and `\ ` are text.
                    Some('{' | '}' | '|' | '<' | '>' | ' ') => *pos += 1,
                    Some(_) => {
                        mode |= IN_TEXT | HAS_TEXT;
                        *pos += 1;
                    }
                    None => {}
                }
                text(chars, pos, &mut mode)?;
            }
            Some(_) => text(chars, pos, &mut mode)?,
        }
    }
}

fn text(chars: &[(usize, char)], pos: &mut usize, mode: &mut u8) -> Result<(), usize> {
    let c = chars[*pos].1;
    if *mode & HAS_TABLE != 0 && c != ' ' {
        return Err(*pos);
    }
    if *mode & (IN_TEXT | IN_PORT) == 0 && c != ' ' {
        *mode |= IN_TEXT | HAS_TEXT;
    }
    *pos += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn record_labels_as_graphviz_reads_them() {
        for ok in ["", "a", "<f0> a|<f1> b", "{a|{b|c}}|d", "a\\|b", "<f0> |<f1> G|<f2> ", "x}ignored"] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
        for (bad, at) in [("<f0 |<f1> G", 4), ("a>", 1), ("{a|b", 4), ("a{b}", 1), ("{a} b", 4), ("<a", 2), ("{", 0)] {
            assert_eq!(check(bad), Err(at), "{bad:?}");
        }
    }
}
