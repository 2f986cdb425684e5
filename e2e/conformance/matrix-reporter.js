// Prints the conformance matrix after the run: one row per scenario, one
// column per protocol, one for REST in XML (and one for the checks that fire
// through all five at once), each cell pass or FAIL. Test titles are the protocol names, under a
// describe named after the scenario id (see src/conformance.e2e-spec.ts).
const PROTOCOLS = ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket', 'rest xml'];
const ALL = 'all five';

class MatrixReporter {
  onRunComplete(_contexts, results) {
    const rows = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const scenario = test.ancestorTitles[0];
        const column = PROTOCOLS.includes(test.title)
          ? test.title
          : test.title.startsWith(`${ALL} at once`)
            ? ALL
            : undefined;
        if (!scenario || !column) continue;
        const row = rows.get(scenario) ?? {};
        const cell = test.status === 'passed' ? 'pass' : test.status === 'failed' ? 'FAIL' : '-';
        // A column with several checks passes only when all of them do.
        row[column] = row[column] === undefined || row[column] === 'pass' ? cell : row[column];
        rows.set(scenario, row);
      }
    }
    if (rows.size === 0) return;
    const columns = [...PROTOCOLS, ALL];
    const width = Math.max(...[...rows.keys()].map((name) => name.length), 'scenario'.length);
    const line = (name, cells) =>
      `${name.padEnd(width)}  ${cells.map((cell, i) => cell.padEnd(columns[i].length)).join('  ')}`;
    const out = [
      '',
      'Conformance matrix (docs/conformance.md)',
      line('scenario', columns),
      ...[...rows].map(([name, row]) =>
        line(
          name,
          columns.map((column) => row[column] ?? ''),
        ),
      ),
      '',
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
}

module.exports = MatrixReporter;
