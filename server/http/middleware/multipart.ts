/**
 * multipart/form-data bodies of fields only (no files), for MediaWiki's Action API: its clients
 * (mwn) send long texts that way. Parsed with busboy, the well-kept streaming parser under multer,
 * with bounds: a field of at most `fieldBytes`, a few hundred fields, no files.
 */
import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { WikiError } from '../../wiki/errors.js';

export function multipartFields(fieldBytes: number): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data')) return next();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fieldSize: fieldBytes, fields: 200, files: 0, parts: 200 }, defParamCharset: 'utf8' });
    } catch {
      return next(new WikiError('invalid_input', 'The multipart/form-data body has no boundary; send it as a form.'));
    }
    const fields: Record<string, string> = {};
    let failed: WikiError | undefined;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failed ??= new WikiError('too_large', `The field "${name}" is over ${fieldBytes} bytes.`);
      else fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      failed ??= new WikiError('invalid_input', `The field "${name}" is a file; this wiki takes no uploads.`);
      stream.resume();
    });
    parser.on('fieldsLimit', () => (failed ??= new WikiError('invalid_input', 'Too many fields in the form.')));
    parser.on('partsLimit', () => (failed ??= new WikiError('invalid_input', 'Too many parts in the form.')));
    parser.on('error', () => next(new WikiError('invalid_input', 'The multipart/form-data body is malformed.')));
    parser.on('close', () => {
      if (failed) return next(failed);
      req.body = fields;
      next();
    });
    req.pipe(parser);
  };
}
