/*
 * Text from a file that may be anyone's (a signed view, before or after it is checked), printed so
 * that its control characters are shown, never sent to the terminal, where an escape sequence
 * could move the cursor, write a line of its own over what was printed, or hide what follows.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is this module's whole purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A character as its JSON escape, \u007f. */
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** As JSON, with DEL and the C1 controls escaped too (JSON.stringify leaves them as they are). */
export const quotedForTerminal = (value: unknown): string => (JSON.stringify(value) ?? String(value)).replace(/[\u007f-\u009f]/g, escaped);

/** A text as it is, or quoted as quotedForTerminal quotes it when it holds a control character. */
export const plainForTerminal = (text: string): string => (CONTROL.test(text) ? quotedForTerminal(text) : text);

/**
 * A message of the ledger's own words that may hold a name as asked (an organisation no plan names), with each control
 * character in it shown as its JSON escape: the message stays readable, and nothing in it reaches the terminal as a
 * control (a DEL, or a C1 CSI that opens an escape sequence on some terminals).
 */
export const controlsShown = (message: string): string => message.replace(new RegExp(CONTROL.source, 'g'), escaped);

/**
 * Text for stderr made of the command line's own lines, any of which may echo an argument as it was typed (Commander's
 * `unknown option '…'`, a value refused): each line as controlsShown shows it, the line breaks between them kept.
 */
export const linesShown = (text: string): string => text.split('\n').map(controlsShown).join('\n');
