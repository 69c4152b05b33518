import { describe, expect, it } from 'vitest';
import { nicknameKey } from '../../src/users/nickname-key.ts';

describe('nicknameKey', () => {
  const same = (a: string, b: string) => expect(nicknameKey(a), `${a} ~ ${b}`).toBe(nicknameKey(b));

  it('makes look-alikes one nickname', () => {
    same('input7a', 'іnput7а'); // Cyrillic і and а
    same('input7a', 'ｉｎｐｕｔ７ａ'); // full-width
    same('input7a', 'INPUT7A');
    same('input7a', 'input7á'); // a combining accent, composed or not
    same('input7a', 'input7a\u0301');
    same('paypal', 'pаypаl');
    same('Straße', 'STRASSE');
    same('modern', 'rnodern');
    same('bill', 'bi11'); // 1 and l
  });

  it('keeps different names apart', () => {
    expect(nicknameKey('alice')).not.toBe(nicknameKey('alicia'));
    expect(nicknameKey('Ann Lee')).not.toBe(nicknameKey('AnnLee'));
    expect(nicknameKey('李')).not.toBe(nicknameKey('王'));
  });
});
