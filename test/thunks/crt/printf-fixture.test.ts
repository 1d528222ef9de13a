// The acceptance table for the printf family: fixtures/crtprintf formats a fixed list of cases through the
// C runtime a real DLL uses — msvcrt.dll's sprintf (mingw build) and ucrtbase.dll's __stdio_common_vsprintf
// (MSVC-style build, as the Visual C++ 2015+ headers call it) — and every result must equal the string
// Microsoft's runtime prints. The expected strings are written by hand from Microsoft's documentation of
// the format specification (flags, width, precision, size prefixes I64/ll/h, %a, %p as 8 upper-case hex
// digits), the Visual C++ 2015 breaking changes (ucrt: 2-digit exponents, "inf"/"nan"/"-nan(ind)" where
// msvcrt printed 3 digits and "1.#INF00"/"1.#QNAN0"/"-1.#IND00", %F a conversion), msvcrt's 17
// significant digits versus ucrt's exact decimal expansion, and the Windows 10 2004 change of ucrt to
// round exact halves to even.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSync, type Library } from '../../../worker/library.js';

const BIN = path.resolve('fixtures/bin');

/** [format (as the fixture has it), msvcrt.dll, ucrtbase.dll]; one string when both print the same. */
const CASES: [string, string, string?][] = [
  ['%d', '42'],
  ['%+d|% d|%+d', '+42| 42|-42'],
  ['%-6d|%6d|', '42    |   -42|'],
  ['%06d|%.4d|%6.3d', '-00042|0007|   005'],
  ['%u|%hu|%hd', '4294967295|65535|-1'],
  ['%x|%X|%#x|%#X|%#x', 'ff|FF|0xff|0XFF|0'],
  ['%o|%#o|%#o', '10|010|0'],
  ['%I64d|%I64u', '-9223372036854775808|18446744073709551615'],
  ['%lld|%llx|%I64X', '1234567890123|123456789abcdef|FEDCBA9876543210'],
  ['%p|%p', '000012AB|00000000'],
  ['[%s][%10s][%-10s][%.2s]', '[text][      text][text      ][te]'],
  ['[%s]', '[(null)]'],
  ['%ls|%5ls|%.2ls', 'wide| wide|wi'],
  ['%c|%3c|%-3c|%lc', 'A|  B|C  |x'],
  // -2.25 is an exact half: msvcrt rounds its digits half up, ucrt to even.
  ['%f|%.2f|%10.3f|%-10.1f|', '3.141590|2.67|     3.142|-2.3      |', '3.141590|2.67|     3.142|-2.2      |'],
  ['%08.3f|%+.1f|% .1f', '-003.142|+1.3| 1.3', '-003.142|+1.2| 1.2'],
  ['%.0f|%.0f|%.0f|%#.0f', '1|2|3|3.', '0|2|2|3.'],
  // msvcrt: 17 significant digits, then zeros; ucrt: the exact value of the double.
  ['%.20f', '0.10000000000000001000', '0.10000000000000000555'],
  ['%e|%E', '1.234568e+004|1.230000E-004', '1.234568e+04|1.230000E-04'],
  ['%.3e|%.0e|%#.0e|%e', '0.000e+000|5e+000|5.e+000|1.000000e+300', '0.000e+00|5e+00|5.e+00|1.000000e+300'],
  ['%g|%g|%g|%g', '0.0001|1e-005|1.23457e+008|100000', '0.0001|1e-05|1.23457e+08|100000'],
  ['%G|%#g|%.10g|%g', '1E+020|1.00000|0.3333333333|0', '1E+20|1.00000|0.3333333333|0'],
  ['%a|%A|%.2a|%a', '0x1.0000000000000p+0|0X1.FF00000000000P+7|0x1.00p+0|-0x1.0000000000000p-1'],
  ['%f|%f|%e|%g', '1.#INF00|-1.#INF00|1.#INF00e+000|-1.#INF', 'inf|-inf|inf|-inf'],
  ['%f|%f|%E', '-1.#IND00|1.#QNAN0|-1.#IND00E+000', '-nan(ind)|nan|-NAN(IND)'],
  // msvcrt rounds the text "#INF" like digits: "1.#INF" to two places is "1.#J".
  ['%.2f|%10f|', '1.#J| -1.#INF00|', 'inf|      -inf|'],
  ['%5.1f|%-5d|%s|%%', ' 10.0|3    |end|%'],
  ['%.17g|%.15g', '0.10000000000000001|0.1'],
  // msvcrt.dll has no z size: "%z" prints "z" and takes no argument.
  ['%zu|%d', 'zu|7', '7|1'],
];

describe.each([
  ['mingw', 'msvcrt.dll'],
  ['msvc', 'ucrtbase.dll'],
] as const)('crtprintf-%s.dll (%s)', (flavour, _crt) => {
  let lib: Library;
  beforeAll(() => {
    lib = loadSync(path.join(BIN, `crtprintf-${flavour}.dll`));
  });
  afterAll(() => lib?.close());

  test('the fixture has exactly the cases of the table', () => {
    const caseFormat = lib.func('const char *case_format(int index)');
    expect(Array.from({ length: CASES.length + 1 }, (_, i) => caseFormat(i))).toEqual([...CASES.map(([f]) => f), null]);
  });

  test.each(CASES.map(([format, msvcrt, ucrt], i) => [i, format, flavour === 'mingw' ? msvcrt : (ucrt ?? msvcrt)] as const))('case %i: %j -> %j', (i, _format, expected) => {
    const formatCase = lib.func('int format_case(int index, _Out_writes_(size) char *out, int size)');
    const out = Buffer.alloc(256);
    const n = formatCase(i, out, out.length);
    expect(out.subarray(0, out.indexOf(0)).toString('latin1')).toBe(expected);
    expect(n).toBe(expected.length);
  });
});
