import assert from 'node:assert/strict';

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charAt(i);
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      // A spreadsheet ends a row on a bare CR or LF too, not only on CRLF.
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r' && csv[i + 1] === '\n') i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'the last line ends with CRLF');
  return rows;
}
