import { describe, expect, it } from 'vitest';
import { passcodeStrength } from './passcode.js';

describe('passcodeStrength', () => {
  it.each<[string, string, 'weak' | 'fair' | 'strong']>([
    ['6 digits: under a minute from a copied database', '246810', 'weak'],
    ['12 digits', '246810135791', 'fair'],
    ['8 lower-case letters and digits', 'hangang7', 'fair'],
    ['12 mixed characters', 'Hangang-br1dge', 'strong'],
    ['Hangul words', '한강다리위에서', 'strong'],
  ])('%s', (_label, passcode, strength) => {
    expect(passcodeStrength(passcode).strength).toBe(strength);
  });

  it('puts a 6-digit PIN within minutes of offline guessing', () => {
    expect(passcodeStrength('246810').offlineSeconds).toBeLessThan(600);
  });
});
