/**
 * Masks for the personal data a user card may hold (email, mobile, birthday). Anything posted where more than the
 * asking person can see it goes through these. Each mask keeps just enough to recognise a value one already knows:
 * about a third of it, except a mobile of 11 digits or more, shown as Chinese services print one (first 3 and last 4);
 * short values are masked more, empty stays empty.
 */

const ELLIPSIS = '…';

/** `t1xyz@163.com` → `t1…@163.com`: at most 2 characters of the local part (fewer when it is short), domain kept. */
export function maskEmail(v: string): string {
  const value = v.trim();
  if (value === '') return '';
  const at = value.lastIndexOf('@');
  if (at < 0) return maskFreeText(value);
  const local = [...value.slice(0, at)];
  const keep = Math.min(2, Math.floor(local.length / 2));
  return `${local.slice(0, keep).join('')}${ELLIPSIS}${value.slice(at)}`;
}

/**
 * `18612344545` → `186****4545`; `+86-13800138000` → `+86-138****8000`; `+852-12345678` → `+852-*****678`.
 * A `+country-` prefix is kept, separators (`- ( )` and spaces) stay in place, every other character counts. With
 * 11 or more left the first 3 and last 4 show, as Chinese services print mobiles; shorter numbers show at most
 * their last third (up to 4), so a 4-digit value shows one digit.
 */
export function maskMobile(v: string): string {
  const value = v.trim();
  const prefix = /^\+\d{1,4}[-\s]/.exec(value)?.[0] ?? '';
  const chars = [...value.slice(prefix.length)];
  const significant = chars.filter((c) => !isSeparator(c)).length;
  const keepStart = significant >= 11 ? 3 : 0;
  const keepEnd = significant >= 11 ? 4 : Math.min(4, Math.floor(significant / 3));
  let seen = 0;
  const masked = chars.map((c) => {
    if (isSeparator(c)) return c;
    seen += 1;
    return seen <= keepStart || seen > significant - keepEnd ? c : '*';
  });
  return prefix + masked.join('');
}

/**
 * `2015-12-23` → `****-12-23`, `12/23/2015` → `12/23/****`: the year is what makes a birthday identifying (and
 * tells the age), month and day alone are shared by 1 in 365. NetEase stores free text, so anything that is not a
 * date with a 4-digit year has every letter and digit masked.
 */
export function maskBirthday(v: string): string {
  const value = v.trim();
  if (value === '') return '';
  const yearFirst = /^(\d{4})([-/.年])(.+)$/u.exec(value);
  if (yearFirst) return `****${yearFirst[2]}${yearFirst[3]}`;
  const yearLast = /^(.+)([-/.])(\d{4})$/u.exec(value);
  if (yearLast) return `${yearLast[1]}${yearLast[2]}****`;
  return maskFreeText(value);
}

function isSeparator(c: string): boolean {
  return c === '-' || c === '(' || c === ')' || c === ' ';
}

/** Every letter and digit becomes `*`: only the shape of the value remains. */
function maskFreeText(value: string): string {
  return value.replace(/[\p{L}\p{N}]/gu, '*');
}
