import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseChangeFilter } from '../../server/http/changeFilter.js';
import { makeTestApp, createUser } from '../helpers/app.js';
import { WikiError } from '../../server/wiki/errors.js';

// The same filters through /special/recent-changes and the API: revert.test.ts and patrol-ui.test.ts.
// As a patroller reads them: min_risk is theirs only (see below).
const LIMITS = { defaultLimit: 50, maxLimit: 500, can: () => true };

function setup() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice Smith' });
  return { stores: wiki.stores, alice };
}

afterEach(() => vi.useRealTimers());

describe('parseChangeFilter', () => {
  it('takes the default limit and no filters from an empty query', () => {
    const { stores } = setup();
    expect(parseChangeFilter(stores, {}, LIMITS)).toEqual({ limit: 50, beforeId: undefined, hideMinor: false, query: {} });
  });

  it.each([
    { name: 'a limit', q: { limit: '20' }, f: { limit: 20 } },
    { name: 'a limit over the maximum, capped', q: { limit: '9999' }, f: { limit: 500 } },
    { name: 'older than an id', q: { older_than: '42' }, f: { beforeId: 42 } },
    { name: 'the main namespace by name', q: { namespace: 'main' }, f: { namespace: '' } },
    { name: 'the main namespace, empty', q: { namespace: '' }, f: {} },
    { name: 'a namespace in any case', q: { namespace: 'hElP' }, f: { namespace: 'Help' } },
    { name: 'a two-word namespace with an underscore', q: { namespace: 'user_talk' }, f: { namespace: 'User talk' } },
    { name: 'hide minor', q: { hideminor: '1' }, f: { hideMinor: true } },
    { name: 'hide minor off', q: { hideminor: '0' }, f: { hideMinor: false } },
    { name: 'a tag', q: { tag: 'new-user' }, f: { tag: 'new-user' } },
    { name: 'a minimum risk of 0', q: { min_risk: '0' }, f: { minRisk: 0 } },
    { name: 'a minimum risk of 100', q: { min_risk: '100' }, f: { minRisk: 100 } },
  ])('reads $name', ({ q, f }) => {
    const { stores } = setup();
    expect(parseChangeFilter(stores, q, LIMITS)).toMatchObject(f);
  });

  it.each([
    { name: 'by name with a space', user: 'Alice Smith' },
    { name: 'by name with underscores for spaces', user: 'Alice_Smith' },
  ])('finds a user $name', ({ user }) => {
    const { stores, alice } = setup();
    expect(parseChangeFilter(stores, { user }, LIMITS).actorId).toBe(alice.id);
  });

  it('finds a user by the name as typed: first letter in any case (normalUserName)', () => {
    const { stores, alice } = setup();
    expect(parseChangeFilter(stores, { user: 'alice_Smith' }, LIMITS).actorId).toBe(alice.id);
  });

  it('refuses min_risk to anyone who may not see risk, saying what to use instead', () => {
    const { stores } = setup();
    const reader = { ...LIMITS, can: () => false };
    expect(() => parseChangeFilter(stores, { min_risk: '30' }, reader)).toThrow(/risk scores are for patrollers.*tag=new-user/);
    expect(parseChangeFilter(stores, { tag: 'new-user' }, reader).tag).toBe('new-user');
  });

  it('turns days into a since time that many days before now', () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-10T12:00:00.000Z') });
    const { stores } = setup();
    expect(parseChangeFilter(stores, { days: '7' }, LIMITS).since).toBe('2026-03-03T12:00:00.000Z');
    expect(parseChangeFilter(stores, { days: '9999' }, LIMITS).since).toBe(new Date(Date.parse('2026-03-10T12:00:00.000Z') - 9999 * 86_400_000).toISOString());
  });

  it('keeps the given, non-empty filters to rebuild links', () => {
    const { stores } = setup();
    const f = parseChangeFilter(stores, { limit: '10', namespace: 'help', hideminor: '', tag: 'revert', user: 'Alice_Smith' }, LIMITS);
    expect(f.query).toEqual({ limit: '10', namespace: 'help', tag: 'revert', user: 'Alice_Smith' });
  });

  it.each([
    { name: 'a zero limit', q: { limit: '0' }, code: 'invalid_input', message: /limit/ },
    { name: 'a limit in words', q: { limit: 'ten' }, code: 'invalid_input', message: /limit/ },
    { name: 'older than a non-id', q: { older_than: '-1' }, code: 'invalid_input', message: /older_than/ },
    { name: 'an unknown user', q: { user: 'Nobody' }, code: 'not_found', message: /user: there is no account "Nobody"/ },
    { name: 'an unknown namespace', q: { namespace: 'Image' }, code: 'invalid_input', message: /namespace must be main or one of Talk, User/ },
    { name: 'zero days', q: { days: '0' }, code: 'invalid_input', message: /days must be a whole number from 1 to 9999/ },
    { name: 'too many days', q: { days: '10000' }, code: 'invalid_input', message: /days/ },
    { name: 'fractional days', q: { days: '1.5' }, code: 'invalid_input', message: /days/ },
    { name: 'a tag with capitals', q: { tag: 'Revert' }, code: 'invalid_input', message: /tag must be a tag name/ },
    { name: 'a tag with a quote', q: { tag: "revert'" }, code: 'invalid_input', message: /tag/ },
    { name: 'a tag of 41 letters', q: { tag: 'a'.repeat(41) }, code: 'invalid_input', message: /tag/ },
    { name: 'a risk over 100', q: { min_risk: '101' }, code: 'invalid_input', message: /min_risk must be a whole number from 0 to 100/ },
    { name: 'a negative risk', q: { min_risk: '-5' }, code: 'invalid_input', message: /min_risk/ },
    { name: 'a filter given twice', q: { tag: ['revert', 'new'] }, code: 'invalid_input', message: /tag must be given once/ },
  ])('refuses $name', ({ q, code, message }) => {
    const { stores } = setup();
    let thrown: unknown;
    try {
      parseChangeFilter(stores, q, LIMITS);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WikiError);
    expect(thrown).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});
