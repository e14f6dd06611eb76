/**
 * What Slack does to a slash command's text when the command is declared with `should_escape: true`: a person
 * named with `@` arrives as `<@U123|name>`, a channel named with `#` as `<#C123|name>`, a user group as
 * `<!subteam^S123|@handle>`, and `@here`, `@channel`, `@everyone` as `<!here>`, `<!channel>`, `<!everyone>`. In
 * Slack the person picks the name from the autocomplete; here a name is taken when it is a person's username
 * (`ada.admin`), their name without spaces (`adaadmin`) or their first name (`ada`) when no one else has it.
 * A name that matches no one stays as typed, as in Slack. The text has had `&`, `<`, `>` escaped already.
 */

export type MentionDirectory = {
  people: readonly { id: string; name: string }[];
  channels: readonly { id: string; name: string; dm?: boolean }[];
  /** User group id → handle (without `@`). */
  usergroupHandles?: Readonly<Record<string, string>>;
};

const specials = new Set(['here', 'channel', 'everyone']);

/** A person's username as Slack's users.info gives it in the simulator: the name lower-cased, spaces as dots. */
export const usernameOf = (name: string): string => name.toLowerCase().replace(/\s+/g, '.');

export function escapeMentions(text: string, directory: MentionDirectory): string {
  const person = personFinder(directory.people);
  const groups = Object.entries(directory.usergroupHandles ?? {});
  return text.replace(/(^|\s)([@#])([\p{L}\p{N}_.\-']+)/gu, (whole, space: string, sigil: string, typed: string) => {
    // A sentence's full stop or a dash after the name is not part of it: try the longest name first.
    for (const name of candidates(typed)) {
      const rest = typed.slice(name.length);
      const lower = name.toLowerCase();
      if (sigil === '#') {
        const channel = directory.channels.find((c) => !c.dm && c.name.toLowerCase() === lower);
        if (channel) return `${space}<#${channel.id}|${channel.name}>${rest}`;
        continue;
      }
      if (specials.has(lower)) return `${space}<!${lower}>${rest}`;
      const group = groups.find(([, handle]) => handle.toLowerCase() === lower);
      if (group) return `${space}<!subteam^${group[0]}|@${group[1]}>${rest}`;
      const found = person(lower);
      if (found) return `${space}<@${found.id}|${usernameOf(found.name)}>${rest}`;
    }
    return whole;
  });
}

/** The typed name, then shorter without trailing punctuation. */
function candidates(typed: string): string[] {
  const trimmed = typed.replace(/[.\-']+$/u, '');
  return trimmed !== typed && trimmed !== '' ? [typed, trimmed] : [typed];
}

function personFinder(people: MentionDirectory['people']): (lower: string) => { id: string; name: string } | undefined {
  const firstNames = new Map<string, number>();
  for (const p of people) {
    const first = p.name.split(/\s+/)[0]!.toLowerCase();
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  return (lower) =>
    people.find((p) => usernameOf(p.name) === lower || p.name.toLowerCase().replace(/\s+/g, '') === lower) ??
    people.find((p) => {
      const first = p.name.split(/\s+/)[0]!.toLowerCase();
      return first === lower && firstNames.get(first) === 1;
    });
}
