import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/index.ts';
import {
  createPiiVault,
  createStreamingUnmasker,
  detectPii,
  hashPii,
  maskPii,
  redactPii,
  unmaskPii,
} from '../src/pii/index.ts';

const TEXT = 'Email ana@example.com or bo@example.net; again ana@example.com. Call +44 20 7946 0958.';

describe('maskPii / unmaskPii', () => {
  it('replaces values with placeholders and restores them', () => {
    const vault = createPiiVault();
    const masked = maskPii(TEXT, detectPii(TEXT), vault);
    expect(masked).toBe(
      'Email [EMAIL_ADDRESS_1] or [EMAIL_ADDRESS_2]; again [EMAIL_ADDRESS_1]. Call [PHONE_NUMBER_1].',
    );
    expect(vault.size).toBe(3);
    expect(vault.get('[EMAIL_ADDRESS_2]')).toBe('bo@example.net');
    expect(unmaskPii(masked, vault)).toBe(TEXT);
  });

  it('keeps numbering across calls with one vault, and starts afresh with another', () => {
    const vault = createPiiVault();
    const a = 'from ana@example.com';
    const b = 'to bo@example.net and ana@example.com';
    expect(maskPii(a, detectPii(a), vault)).toBe('from [EMAIL_ADDRESS_1]');
    expect(maskPii(b, detectPii(b), vault)).toBe('to [EMAIL_ADDRESS_2] and [EMAIL_ADDRESS_1]');
    expect(maskPii(b, detectPii(b), createPiiVault())).toBe('to [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]');
  });

  it('never issues a placeholder the text already contains, and leaves such text alone on unmask', () => {
    const vault = createPiiVault();
    const text = 'Literal [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2], real ana@example.com';
    const masked = maskPii(text, detectPii(text), vault);
    expect(masked).toBe('Literal [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2], real [EMAIL_ADDRESS_3]');
    expect(unmaskPii(masked, vault)).toBe(text);
    expect(unmaskPii('model says [EMAIL_ADDRESS_1]', vault)).toBe('model says [EMAIL_ADDRESS_1]');
  });

  it('leaves unknown and malformed placeholders untouched', () => {
    const vault = createPiiVault();
    maskPii(TEXT, detectPii(TEXT), vault);
    const out = unmaskPii('[EMAIL_ADDRESS_9] [EMAIL_ADDRESS_1 [PERSON_1] [EMAIL_ADDRESS_1]', vault);
    expect(out).toBe('[EMAIL_ADDRESS_9] [EMAIL_ADDRESS_1 [PERSON_1] ana@example.com');
  });

  it('ignores overlapping and out-of-range findings', () => {
    const f = (start: number, end: number): Finding => ({
      detector: 'pii',
      type: 'X',
      start,
      end,
      score: 1,
      signals: [],
    });
    const vault = createPiiVault();
    expect(maskPii('abcdef', [f(0, 3), f(2, 5), f(4, 99)], vault)).toBe('[X_1]def');
  });

  it('rejects a vault it did not create', () => {
    expect(() => maskPii('x', [], {} as never)).toThrow(TypeError);
  });
});

describe('createStreamingUnmasker', () => {
  const vault = createPiiVault();
  const source = 'Hi ana@example.com, your number +44 20 7946 0958 and bo@example.net are saved.';
  maskPii(source, detectPii(source), vault);
  const output = 'Sure [EMAIL_ADDRESS_1]! I will call [PHONE_NUMBER_1] and write to [EMAIL_ADDRESS_2]. [NOPE_1] [x]';
  const expected = unmaskPii(output, vault);

  const run = (chunks: string[]) => {
    const u = createStreamingUnmasker(vault);
    return chunks.map((c) => u.push(c)).join('') + u.flush();
  };

  it('restores placeholders split at every position', () => {
    for (let i = 0; i <= output.length; i++) {
      expect(run([output.slice(0, i), output.slice(i)])).toBe(expected);
    }
  });

  it('restores placeholders split at every pair of positions', () => {
    for (let i = 0; i <= output.length; i += 3) {
      for (let j = i; j <= output.length; j += 2) {
        expect(run([output.slice(0, i), output.slice(i, j), output.slice(j)])).toBe(expected);
      }
    }
  });

  it('restores a stream of single characters', () => {
    expect(run([...output])).toBe(expected);
  });

  it('holds back only what could still become a placeholder', () => {
    const u = createStreamingUnmasker(vault);
    expect(u.push('plain text, no brackets ')).toBe('plain text, no brackets ');
    expect(u.push('then [EMAIL_AD')).toBe('then ');
    expect(u.push('DRESS_1] ok')).toBe('ana@example.com ok');
    expect(u.push('[not a placeholder at all')).toBe('[not a placeholder at all');
    const longest = Math.max(...[...vault.values.keys()].map((k) => k.length));
    const held = '[EMAIL_ADDRESS_1'.slice(0, longest - 1);
    expect(u.push(held)).toBe('');
    expect(u.flush()).toBe(held);
  });
});

describe('redactPii and hashPii', () => {
  const findings = detectPii(TEXT);

  it('redacts irreversibly', () => {
    expect(redactPii(TEXT, findings)).toBe(
      'Email [REDACTED:EMAIL_ADDRESS] or [REDACTED:EMAIL_ADDRESS]; again [REDACTED:EMAIL_ADDRESS]. Call [REDACTED:PHONE_NUMBER].',
    );
  });

  it('hashes with a key: equal values match, other keys differ, no raw value remains', () => {
    const a = hashPii(TEXT, findings, 'key-one');
    const b = hashPii(TEXT, findings, 'key-one');
    const c = hashPii(TEXT, findings, new TextEncoder().encode('key-two'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toContain('example');
    const tokens = a.match(/\[EMAIL_ADDRESS:[0-9a-f]{16}\]/g)!;
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).toBe(tokens[2]);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});
