import { describe, expect, it } from 'vitest';
import { commandWords } from '../../src/import/command-words.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';

const words = (type: string, data: object) => commandWords({ type, data } as PlanCommand);

describe("an import's refused command, in words", () => {
  it('names what it records and what it is about, not its type', () => {
    expect(words('ReviseDeadline', { ref: '1.3', to: { kind: 'ongoing' }, reason: 'r' })).toBe('a deadline revision of action 1.3');
    expect(words('RecordProgressUpdate', { target: { kind: 'action', ref: '2.1' }, narrative: 'n' })).toBe(
      'a progress update of action 2.1',
    );
    expect(words('RecordRecommendationResponse', { ref: 'R1', respondent: 'Trust', response: 'Accepted' })).toBe(
      'a response to recommendation R1',
    );
    expect(words('RecordRecommendation', { ref: 'R2', text: 't' })).toBe('recommendation R2');
    expect(words('AgreeAction', { ref: '4.1' })).toBe('the agreement of action 4.1');
    expect(words('AddSection', { sectionRef: '3', title: 't' })).toBe('section 3');
    expect(words('RegisterPlan', { planId: 'p', title: 't' })).toBe("the plan's registration");
  });
});
