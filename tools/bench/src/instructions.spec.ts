import { callgrindLauncher, callgrindTotal, callsInto } from './instructions';

/** The head of a dump `callgrind_control --dump` writes, as callgrind 3.19 writes it. */
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 13101
cmd:  node dist/apps/rest/main.js
part: 1

desc: Timerange: Basic block 0 - 428607289
desc: Trigger: dump

positions: line
events: Ir
summary: 2005045096

ob=(4) /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30
fn=(1282) operator delete(void*, unsigned long)
0 102276
calls=51138 0
0 5197281
`;

describe('counting instructions with callgrind', () => {
  it('reads the instructions of a dump from its summary line', () => {
    expect(callgrindTotal(DUMP)).toBe(2_005_045_096);
  });

  it('reads the totals line where a dump has no summary', () => {
    expect(callgrindTotal('events: Ir\nfn=(1) main\n0 12\n\ntotals: 12\n')).toBe(12);
  });

  it('counts the calls into a function, named once and by its id after', () => {
    const dump = [
      'fn=(10) Builtins_CEntry',
      'cfn=(11) v8::internal::Runtime_DefineKeyedOwnPropertyInLiteral(int)',
      'calls=36 0',
      '0 48000',
      'cfn=(12) v8::internal::Runtime_StackGuard(int)',
      'calls=2 0',
      '0 900',
      'fn=(13) Builtins_CloneObjectIC_Slow',
      'cfn=(10)',
      'calls=5 0',
      '0 7000',
      'fn=(10)',
      'cfn=(11)',
      'calls=4 0',
      '0 5000',
    ].join('\n');
    expect(callsInto(dump, 'Runtime_DefineKeyedOwnPropertyInLiteral')).toBe(40);
    expect(callsInto(dump, 'Runtime_StackGuard')).toBe(2);
    expect(callsInto(dump, 'Builtins_CEntry')).toBe(5);
    expect(callsInto(dump, 'Runtime_Nothing')).toBe(0);
  });

  it('refuses a dump with neither, rather than counting nothing', () => {
    expect(() => callgrindTotal('# callgrind format\nevents: Ir\n')).toThrow(/no summary/);
  });

  it('starts a process with counting off, writing its dumps where it is told', () => {
    const launcher = callgrindLauncher('/tmp/counts');
    expect(launcher[0]).toBe('valgrind');
    expect(launcher).toContain('--tool=callgrind');
    expect(launcher).toContain('--instr-atstart=no');
    expect(launcher).toContain('--callgrind-out-file=/tmp/counts/callgrind.%p');
  });
});
