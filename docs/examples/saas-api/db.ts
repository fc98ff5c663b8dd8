import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Plan, Role } from './claims.js'

/** A user as the database holds it. */
export interface User {
  readonly id: string
  /** `null` for Telegram accounts. */
  readonly email: string | null
  readonly role: Role
  readonly plan: Plan
  /** `null` for password accounts. */
  readonly telegramId: string | null
  readonly name: string | null
  /** Epoch milliseconds. */
  readonly createdAt: number
}

/** A password account, with its hash: only the login reads it. */
export interface PasswordUser extends User {
  readonly email: string
  readonly passwordHash: string
}

/** What a new password account needs. */
export interface NewPasswordUser {
  readonly id: string
  readonly email: string
  readonly passwordHash: string
  readonly role: Role
  readonly plan: Plan
  readonly createdAt: number
}

/** What a Telegram login knows about its user. */
export interface TelegramProfile {
  readonly telegramId: string
  readonly name: string | null
}

/** The example's storage: users and their daily usage, in one SQLite file. */
export interface Db {
  /** Creates a password account; `undefined` when the email is taken. */
  readonly createUser: (user: NewPasswordUser) => User | undefined
  readonly findUser: (id: string) => User | undefined
  readonly findByEmail: (email: string) => PasswordUser | undefined
  /** Creates the account of a Telegram user on first login, refreshes its name after. */
  readonly upsertTelegramUser: (profile: TelegramProfile, createdAt: number) => User
  readonly listUsers: (limit: number) => readonly User[]
  readonly countUsers: () => number
  readonly setRole: (id: string, role: Role) => User | undefined
  readonly setPlan: (id: string, plan: Plan) => User | undefined
  /**
   * Counts one use for `userId` on `day` (`YYYY-MM-DD`) unless `limit` uses are already counted;
   * answers the new count, or `undefined` when the limit was reached. Atomic: one statement.
   */
  readonly countUse: (userId: string, day: string, limit: number) => number | undefined
  readonly close: () => void
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id            TEXT PRIMARY KEY,
  email         TEXT UNIQUE,
  password_hash TEXT,
  telegram_id   TEXT UNIQUE,
  name          TEXT,
  role          TEXT NOT NULL,
  plan          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS usage (
  user_id TEXT NOT NULL,
  day     TEXT NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (user_id, day)
) STRICT;
`

interface UserRow {
  readonly id: string
  readonly email: string | null
  readonly password_hash: string | null
  readonly telegram_id: string | null
  readonly name: string | null
  readonly role: Role
  readonly plan: Plan
  readonly created_at: number
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  role: row.role,
  plan: row.plan,
  telegramId: row.telegram_id,
  name: row.name,
  createdAt: row.created_at,
})

/** Opens (and creates when needed) `users.db` in `dataDir`. */
export const openDb = (dataDir: string): Db => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const sqlite = new Database(join(dataDir, 'users.db'))
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.exec(SCHEMA)

  const insertUser = sqlite.prepare<[NewPasswordUser], UserRow>(
    `INSERT INTO users (id, email, password_hash, role, plan, created_at)
     VALUES (@id, @email, @passwordHash, @role, @plan, @createdAt)
     ON CONFLICT (email) DO NOTHING
     RETURNING *`,
  )
  const selectById = sqlite.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?')
  const selectByEmail = sqlite.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?')
  const upsertTelegram = sqlite.prepare<
    [{ id: string; telegramId: string; name: string | null; createdAt: number }],
    UserRow
  >(
    `INSERT INTO users (id, telegram_id, name, role, plan, created_at)
     VALUES (@id, @telegramId, @name, 'telegram_user', 'free', @createdAt)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name
     RETURNING *`,
  )
  const selectUsers = sqlite.prepare<[number], UserRow>('SELECT * FROM users ORDER BY created_at, id LIMIT ?')
  const countAll = sqlite.prepare<[], { count: number }>('SELECT count(*) AS count FROM users')
  const updateRole = sqlite.prepare<[Role, string], UserRow>('UPDATE users SET role = ? WHERE id = ? RETURNING *')
  const updatePlan = sqlite.prepare<[Plan, string], UserRow>('UPDATE users SET plan = ? WHERE id = ? RETURNING *')
  // The WHERE of the upsert refuses the increment at the limit: no row comes back, nothing changes.
  const incrementUsage = sqlite.prepare<[{ userId: string; day: string; limit: number }], { count: number }>(
    `INSERT INTO usage (user_id, day, count) VALUES (@userId, @day, 1)
     ON CONFLICT (user_id, day) DO UPDATE SET count = count + 1 WHERE count < @limit
     RETURNING count`,
  )

  return {
    createUser: (user) => {
      const row = insertUser.get(user)
      return row === undefined ? undefined : toUser(row)
    },
    findUser: (id) => {
      const row = selectById.get(id)
      return row === undefined ? undefined : toUser(row)
    },
    findByEmail: (email) => {
      const row = selectByEmail.get(email)
      if (row === undefined || row.email === null || row.password_hash === null) return undefined
      return { ...toUser(row), email: row.email, passwordHash: row.password_hash }
    },
    upsertTelegramUser: (profile, createdAt) => {
      const id = `tg_${profile.telegramId}`
      const row = upsertTelegram.get({ id, telegramId: profile.telegramId, name: profile.name, createdAt })
      // An upsert with RETURNING answers a row whether it inserted or updated.
      if (row === undefined) throw new Error(`upsert of ${id} answered no row`)
      return toUser(row)
    },
    listUsers: (limit) => selectUsers.all(limit).map(toUser),
    countUsers: () => countAll.get()?.count ?? 0,
    setRole: (id, role) => {
      const row = updateRole.get(role, id)
      return row === undefined ? undefined : toUser(row)
    },
    setPlan: (id, plan) => {
      const row = updatePlan.get(plan, id)
      return row === undefined ? undefined : toUser(row)
    },
    countUse: (userId, day, limit) => {
      if (limit <= 0) return undefined
      return incrementUsage.get({ userId, day, limit })?.count
    },
    close: () => sqlite.close(),
  }
}
