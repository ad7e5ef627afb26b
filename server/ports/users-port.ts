import type { Role } from '../engine/types.js';

/** A local account; `id` is the login name and the actor id used by the engine (assignee, startedBy). */
export interface UserRecord {
  id: string;
  name: { fa: string; en: string };
  roles: Role[];
  groups: string[];
  language: 'fa' | 'en';
  active: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

/** An account to create, with its password hash (argon2id, see `server/auth/passwords.ts`). */
export interface NewUser {
  id: string;
  name: { fa: string; en: string };
  passwordHash: string;
  roles: Role[];
  groups: string[];
  language?: 'fa' | 'en';
}

/** The changes an administrator may make to an account (a password has its own call). */
export type UserPatch = Partial<Pick<UserRecord, 'name' | 'roles' | 'groups' | 'language' | 'active'>>;

/** Accounts, as the HTTP, socket and auth layers see them (implemented in `server/persistence/user-store.ts`). */
export interface UsersPort {
  get(id: string): Promise<UserRecord | undefined>;
  /** The record plus its hash, for sign-in and password change only. */
  getWithHash(id: string): Promise<(UserRecord & { passwordHash: string }) | undefined>;
  /** Inserts a user; false when the id is taken (existing users are never overwritten). */
  create(user: NewUser, now?: Date): Promise<boolean>;
  setPasswordHash(id: string, passwordHash: string, now?: Date): Promise<void>;
  /** Applies the defined members of `patch`; the record after it, undefined when there is no such user. */
  update(id: string, patch: UserPatch): Promise<UserRecord | undefined>;
  /** Every account, by id. */
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
}
