import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CODEC_SERVER_SETTINGS, type CodecServerSettings } from './settings';
import { sha256 } from './supervisor-tokens';

export interface SupervisorSession {
  /** The cookie value: shown to the browser once, kept here only as its hash. */
  id: string;
  supervisorId: string;
  expiresAt: Date;
}

/**
 * Logins through /login, for the Web UI, which has no login of its own. Sessions live in this
 * process's memory: a restart asks supervisors to log in again, and nothing of them is on disk.
 */
@Injectable()
export class SupervisorSessions {
  private readonly sessions = new Map<string, { supervisorId: string; expiresAt: number }>();

  constructor(@Inject(CODEC_SERVER_SETTINGS) private readonly settings: CodecServerSettings) {}

  open(supervisorId: string, now = Date.now()): SupervisorSession {
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
    }
    const id = randomBytes(32).toString('base64url');
    const expiresAt = now + this.settings.sessionTtlMs;
    this.sessions.set(sha256(id).toString('hex'), { supervisorId, expiresAt });
    return { id, supervisorId, expiresAt: new Date(expiresAt) };
  }

  /** The supervisor a live session belongs to. */
  supervisorOf(id: string, now = Date.now()): string | undefined {
    const session = this.sessions.get(sha256(id).toString('hex'));
    return session && session.expiresAt > now ? session.supervisorId : undefined;
  }

  close(id: string): void {
    this.sessions.delete(sha256(id).toString('hex'));
  }
}
