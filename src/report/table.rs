//! A Markdown table builder: a header with units, left- or right-aligned columns, cells that
//! never break the table.

/// How a column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text columns.
    Left,
    /// Numeric columns.
    Right,
}

/// A Markdown (GitHub-flavoured) table.
///
/// Cells are written as given, so text from the user must already be escaped
/// ([`super::text::escape_inline`]); a bare `|` or line break left in a cell is escaped here
/// as a last line of defence, so a row always has as many cells as the header.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles (units in parentheses) and alignments.
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Self {
            header: columns.iter().map(|(t, a)| (t.to_string(), *a)).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row; missing cells are left empty, extra cells are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as Markdown, ending with a blank line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        out.push_str(&line(self.header.iter().map(|(t, _)| cell(t)).collect()));
        out.push_str(&line(
            self.header
                .iter()
                .map(|(_, a)| match a {
                    Align::Left => "---".to_string(),
                    Align::Right => "---:".to_string(),
                })
                .collect(),
        ));
        for row in &self.rows {
            out.push_str(&line(row.iter().map(|c| cell(c)).collect()));
        }
        out.push('\n');
        out
    }
}

/// A cell's text with unescaped pipes escaped and line breaks replaced.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        match c {
            '|' if !escaped => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    if out.is_empty() {
        " ".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_alignment_and_keeps_cells_inside() {
        let mut t = Table::new(&[("Variant", Align::Left), ("p90 (ms)", Align::Right)]);
        t.row(vec!["a|b".into(), "1.5".into()]);
        t.row(vec!["already \\| escaped".into()]);
        assert_eq!(
            t.render(),
            "| Variant | p90 (ms) |\n| --- | ---: |\n| a\\|b | 1.5 |\n| already \\| escaped |   |\n\n"
        );
    }
}
