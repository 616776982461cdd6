/** The generation of page views: the same build and settings give the same one, other settings another. */
import { describe, expect, it } from 'vitest';
import { viewGeneration } from '../../server/http/generation.js';
import { testConfig } from '../../server/config.js';

describe('viewGeneration', () => {
  it('is stable for one build and config, and changes with any setting but the secret', () => {
    const a = testConfig();
    const same = viewGeneration(a);
    expect(viewGeneration({ ...a })).toBe(same);
    expect(viewGeneration({ ...a, jwtSecret: 'another secret, at least thirty-two bytes long' })).toBe(same);
    expect(viewGeneration({ ...a, publicUrl: 'https://peer.example' })).not.toBe(same);
    expect(viewGeneration({ ...a, anonEdits: !a.anonEdits })).not.toBe(same);
  });
});
