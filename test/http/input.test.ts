import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import {
  flag, formBody, historyFilter, jsonBody, latestId, limit, offset, optionalId, parseLevel, parseLogType, parseSince,
  positiveId, queryValue, safeReturn, sectionParam, text, titleFromPath, titleFromSegments,
} from '../../server/http/input.js';
import { WikiError } from '../../server/wiki/errors.js';

const reqWith = (body: unknown) => ({ body }) as unknown as Request;

/** The code and message of what `f` throws (undefined when it returns). */
function refusal(f: () => unknown): { code: string; message: string } | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof WikiError)) throw e;
    return { code: e.code, message: e.message };
  }
}

describe('bodies', () => {
  it.each([
    { name: 'a form', body: { a: '1' }, want: { a: '1' } },
    { name: 'no body', body: undefined, want: {} },
    { name: 'a string', body: 'a=1', want: {} },
    { name: 'an array', body: ['a'], want: {} },
  ])('formBody of $name', ({ body, want }) => {
    expect(formBody(reqWith(body))).toEqual(want);
  });

  it.each([
    { name: 'an object', body: { a: 1 }, want: { a: 1 } },
    { name: 'no body', body: undefined, want: {} },
    { name: 'JSON null (as a bare POST)', body: null, want: {} },
  ])('jsonBody of $name', ({ body, want }) => {
    expect(jsonBody(reqWith(body))).toEqual(want);
  });

  it.each([
    { name: 'an array', body: [1] },
    { name: 'a number', body: 3 },
    { name: 'a string', body: 'x' },
  ])('jsonBody refuses $name', ({ body }) => {
    expect(refusal(() => jsonBody(reqWith(body)))).toEqual({ code: 'invalid_input', message: 'The request body must be a JSON object.' });
  });
});

describe('scalar parsers', () => {
  it.each([
    { name: 'positive id', f: () => positiveId('id', '12'), want: 12 },
    { name: 'positive id from a number', f: () => positiveId('id', 7), want: 7 },
    { name: 'optional id absent', f: () => optionalId('id', ''), want: undefined },
    { name: 'limit absent', f: () => limit(undefined, 20, 100), want: 20 },
    { name: 'limit over the maximum is capped', f: () => limit('500', 20, 100), want: 100 },
    { name: 'limit of many digits is capped', f: () => limit('9'.repeat(40), 20, 100), want: 100 },
    { name: 'offset zero', f: () => offset('0'), want: 0 },
    { name: 'offset', f: () => offset('30'), want: 30 },
    { name: 'text absent', f: () => text('t', undefined), want: '' },
    { name: 'flag on', f: () => flag('on'), want: true },
    { name: 'flag false', f: () => flag('false'), want: false },
    { name: 'level', f: () => parseLevel('semi'), want: 'semi' },
    { name: 'log type', f: () => parseLogType('move'), want: 'move' },
    { name: 'log type empty', f: () => parseLogType(''), want: undefined },
    { name: 'history filter', f: () => historyFilter('minor'), want: 'minor' },
    { name: 'since', f: () => parseSince('2026-12-01T09:00:00+01:00'), want: '2026-12-01T08:00:00.000Z' },
    { name: 'section 0', f: () => sectionParam('0'), want: 0 },
    { name: 'section absent', f: () => sectionParam(''), want: undefined },
    { name: 'latest absent', f: () => latestId(undefined), want: null },
    { name: 'latest', f: () => latestId({ id: 4 }), want: 4 },
    { name: 'query value', f: () => queryValue({ q: 'x' }, 'q'), want: 'x' },
  ])('$name', ({ f, want }) => {
    expect(f()).toEqual(want);
  });

  it.each([
    { name: 'zero id', f: () => positiveId('revision id', '0'), message: 'revision id must be a positive whole number.' },
    { name: 'id with a sign', f: () => positiveId('id', '+1'), message: 'id must be a positive whole number.' },
    { name: 'id past 2^53', f: () => positiveId('id', '9007199254740993'), message: 'id must be a positive whole number.' },
    { name: 'negative limit', f: () => limit('-1', 20, 100), message: 'limit must be a positive whole number.' },
    { name: 'required text missing', f: () => text('source', undefined, { required: true }), message: 'source is required.' },
    { name: 'text not a string', f: () => text('source', 3), message: 'source must be a string.' },
    { name: 'text with a lone surrogate', f: () => text('source', 'a\ud800'), message: 'source is not valid Unicode (it has a lone surrogate).' },
    { name: 'unknown level', f: () => parseLevel('total'), message: 'level must be "none", "semi" or "full".' },
    { name: 'unknown log type', f: () => parseLogType('edit'), message: 'type must be one of protect, block, delete, move, rollback, patrol.' },
    { name: 'unknown history filter', f: () => historyFilter('bots'), message: 'filter must be one of reverted, anonymous, minor.' },
    { name: 'since not a time', f: () => parseSince('yesterday'), message: 'since must be an ISO 8601 time, like 2026-12-01T09:00:00Z.' },
    { name: 'since an impossible date', f: () => parseSince('2026-13-45'), message: 'since must be an ISO 8601 time, like 2026-12-01T09:00:00Z.' },
    { name: 'section not a number', f: () => sectionParam('two'), message: 'section must be a whole number (0 for the text before the first heading).' },
    { name: 'latest not an object', f: () => latestId(5), message: 'latest must be an object like {"id": 123}.' },
    { name: 'latest without an id', f: () => latestId({}), message: 'latest.id must be a positive whole number.' },
    { name: 'repeated query value', f: () => queryValue({ q: ['a', 'b'] }, 'q'), message: 'q must be given once, as plain text.' },
  ])('refuses $name', ({ f, message }) => {
    expect(refusal(f)).toEqual({ code: 'invalid_input', message });
  });
});

describe('titles and return paths', () => {
  it('reads a title from a path, a parameter and wildcard segments alike', () => {
    expect(titleFromPath('Peer_networks%2FHistory').text).toBe('Peer networks/History');
    expect(titleFromSegments(['Peer networks', 'History']).text).toBe('Peer networks/History');
    expect(refusal(() => titleFromPath('%E0%A4%A'))?.code).toBe('invalid_title');
  });

  it.each([
    { name: 'a local path', to: '/wiki/P?action=edit', want: '/wiki/P?action=edit' },
    { name: 'another site', to: '//evil.example/x', want: '/wiki/Main_Page' },
    { name: 'a backslash trick', to: '/\\evil.example', want: '/wiki/Main_Page' },
    { name: 'a header break', to: '/wiki/P\r\nSet-Cookie: x', want: '/wiki/Main_Page' },
    { name: 'an absolute URL', to: 'https://evil.example/', want: '/wiki/Main_Page' },
    { name: 'nothing', to: undefined, want: '/wiki/Main_Page' },
  ])('safeReturn: $name', ({ to, want }) => {
    expect(safeReturn(to)).toBe(want);
  });
});
