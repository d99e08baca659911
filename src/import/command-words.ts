import type { CommandType, PlanCommand } from '../domain/plan/commands.ts';

/** Each command as a person says what it records: what an import's refusal names, rather than the command's type. */
const WORDS: Record<CommandType, string> = {
  RegisterPlan: "the plan's registration",
  AddSection: 'a section',
  ChangePlanOwner: 'a change of owner',
  RecordRecommendation: 'a recommendation',
  RecordRecommendationResponse: 'a response',
  AssureRecommendation: 'an assurance judgement',
  AgreeAction: 'the agreement',
  ChangeActionLead: 'a change of lead',
  ReviseDeadline: 'a deadline revision',
  RecordProgressUpdate: 'a progress update',
  LinkEvidence: 'a link to evidence',
  AttachEvidenceFile: 'an evidence file',
  EraseEvidence: 'an erasure of evidence',
  CompleteAction: 'the completion',
  SubsumeAction: 'the subsumption',
  WithdrawAction: 'the withdrawal',
  ReopenAction: 'the reopening',
  CorrectEntry: 'a correction',
  RetractPlan: "the plan's retraction",
  ReinstatePlan: "the plan's reinstatement",
};

/** What the command is about, where it names an action or a recommendation: " of action 1.3". */
const subjectOf = (command: PlanCommand): string => {
  const data = command.data as { ref?: unknown; target?: { kind?: unknown; ref?: unknown } };
  if (data.target && typeof data.target.ref === 'string') return ` of ${String(data.target.kind)} ${data.target.ref}`;
  if (typeof data.ref !== 'string') return '';
  if (command.type === 'RecordRecommendationResponse') return ` to recommendation ${data.ref}`;
  return ` of ${command.type === 'AssureRecommendation' ? 'recommendation' : 'action'} ${data.ref}`;
};

/** "a progress update of action 1.3", "recommendation R2", "section 3", "the plan's registration". */
export const commandWords = (command: PlanCommand): string => {
  const data = command.data as { ref?: unknown; sectionRef?: unknown };
  if (command.type === 'RecordRecommendation' && typeof data.ref === 'string') return `recommendation ${data.ref}`;
  if (command.type === 'AddSection' && typeof data.sectionRef === 'string') return `section ${data.sectionRef}`;
  return `${WORDS[command.type]}${subjectOf(command)}`;
};
