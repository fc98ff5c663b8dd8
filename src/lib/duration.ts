/** A duration: whole seconds, or a string such as `'90s'`, `'15m'`, `'1h'`, `'7d'`, `'2w'`. */
export type Duration = number | `${number}${DurationUnit}`

/** The units a duration string may end in. */
export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w'

const UNIT_SECONDS: Record<DurationUnit, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }
const DURATION = /^([1-9][0-9]{0,9}|0)(s|m|h|d|w)$/

/** The seconds a duration stands for, or `undefined` when it is not a valid duration. */
export const toSeconds = (duration: unknown): number | undefined => {
  if (typeof duration === 'number') return Number.isSafeInteger(duration) ? duration : undefined
  if (typeof duration !== 'string') return undefined
  const match = DURATION.exec(duration)
  if (match === null) return undefined
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as DurationUnit]
  return Number.isSafeInteger(seconds) ? seconds : undefined
}
