import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/app-error.ts';
import { clearSessionHint } from './session.ts';

export const requireUser: RequestHandler = (req, res, next) => {
  if (!req.user) {
    // The session ended (expired, signed out elsewhere, a password change): the SPA stops asking.
    clearSessionHint(req, res);
    throw new AppError('unauthenticated');
  }
  next();
};

/** The caller's id on a route behind `requireUser`. */
export function userId(req: Request): number {
  if (!req.user) throw new AppError('unauthenticated');
  return req.user.id;
}
