// Who the guest runs as: GetUserNameA/W and the process token (OpenProcessToken, GetTokenInformation).
// Sizes and layouts are those of the SDK (TOKEN_USER, SID) and Microsoft's documentation.
import { describe, expect, test } from 'vitest';
import { UnimplementedApiError } from '../../../thunks/errors.js';
import { win32 } from '../../helpers/win32.js';

const ERROR_INVALID_HANDLE = 6;
const ERROR_INSUFFICIENT_BUFFER = 122;
const TOKEN_QUERY = 0x8;
const TokenUser = 1;
const TokenElevationType = 18;
const TokenElevation = 20;
const CURRENT_PROCESS = 0xffff_ffff;

describe('GetUserName', () => {
  test('"wowasm": the size counts the NUL; a short buffer gets ERROR_INSUFFICIENT_BUFFER and the size needed', () => {
    const w = win32();
    const size = w.buf(4);
    const buf = w.buf(32);
    w.cpu.mem.setU32(size, 3);
    expect(w.adv('GetUserNameA', buf, size)).toBe(0);
    expect([w.lastError(), w.u32(size)]).toEqual([ERROR_INSUFFICIENT_BUFFER, 7]);
    expect(w.adv('GetUserNameA', buf, size)).toBe(1);
    expect([w.readStr(buf), w.u32(size)]).toEqual(['wowasm', 7]);
    w.cpu.mem.setU32(size, 32);
    expect(w.adv('GetUserNameW', buf, size)).toBe(1);
    expect([w.readWStr(buf), w.u32(size)]).toEqual(['wowasm', 7]);
  });

  test('the name is the user profile\'s USERNAME, which a registry seed can set', () => {
    const w = win32({ registry: { seed: { 'HKEY_CURRENT_USER\\Volatile Environment': { USERNAME: 'Zoë' } } } });
    const size = w.buf(4);
    const buf = w.buf(32);
    w.cpu.mem.setU32(size, 32);
    expect(w.adv('GetUserNameW', buf, size)).toBe(1);
    expect([w.readWStr(buf), w.u32(size)]).toEqual(['Zoë', 4]);
    w.cpu.mem.setU32(size, 32);
    expect(w.adv('GetUserNameA', buf, size)).toBe(1);
    expect(Array.from(w.cpu.mem.read(buf, 4))).toEqual([0x5a, 0x6f, 0xeb, 0]); // Windows-1252
  });
});

describe('the process token', () => {
  test('TokenUser: a SID_AND_ATTRIBUTES pointing at the user\'s SID right after it', () => {
    const w = win32();
    const ph = w.buf(4);
    expect(w.adv('OpenProcessToken', CURRENT_PROCESS, TOKEN_QUERY, ph)).toBe(1);
    const token = w.u32(ph);
    const need = w.buf(4);
    expect(w.adv('GetTokenInformation', token, TokenUser, 0, 0, need)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INSUFFICIENT_BUFFER);
    // 8 bytes of SID_AND_ATTRIBUTES, then S-1-5-21-a-b-c-rid: 8 + 5 * 4 bytes.
    expect(w.u32(need)).toBe(36);
    const info = w.buf(36);
    expect(w.adv('GetTokenInformation', token, TokenUser, info, 36, need)).toBe(1);
    const sid = w.u32(info);
    expect(sid).toBe(info + 8);
    expect(w.u32(info + 4)).toBe(0);
    expect(Array.from(w.cpu.mem.read(sid, 8))).toEqual([1, 5, 0, 0, 0, 0, 0, 5]); // revision 1, 5 sub-authorities, NT authority
    expect(w.u32(sid + 8)).toBe(21); // SECURITY_NT_NON_UNIQUE: a local account
    expect(w.u32(sid + 24)).toBe(1001); // the first user account's RID
    expect(w.k32('CloseHandle', token)).toBe(1);
    expect(w.adv('GetTokenInformation', token, TokenUser, info, 36, need)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
  });

  test('a standard, non-elevated user', () => {
    const w = win32();
    const ph = w.buf(4);
    expect(w.adv('OpenProcessToken', CURRENT_PROCESS, TOKEN_QUERY, ph)).toBe(1);
    const out = w.buf(4);
    const len = w.buf(4);
    expect(w.adv('GetTokenInformation', w.u32(ph), TokenElevation, out, 4, len)).toBe(1);
    expect([w.u32(out), w.u32(len)]).toEqual([0, 4]);
    expect(w.adv('GetTokenInformation', w.u32(ph), TokenElevationType, out, 4, len)).toBe(1);
    expect(w.u32(out)).toBe(1); // TokenElevationTypeDefault
    expect(w.adv('GetTokenInformation', w.u32(ph), TokenElevation, out, 2, len)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INSUFFICIENT_BUFFER);
    // Classes wowasm does not answer stop the call instead of inventing data.
    expect(() => w.adv('GetTokenInformation', w.u32(ph), 2 /* TokenGroups */, out, 4, len)).toThrow(UnimplementedApiError);
    // Another process's handle is not the current process.
    expect(w.adv('OpenProcessToken', 0x1234, TOKEN_QUERY, ph)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('OpenProcessToken', w.k32('GetCurrentProcessId'), TOKEN_QUERY, ph)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
  });
});
