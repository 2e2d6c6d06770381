import type { DataSource } from 'typeorm';
import type { ImmigrationRegisterActivities, InquirySubject, StatusAnswer } from '@handoffs/contracts';
import { ResidenceRecord } from './residence-record.entity';

/** How fresh and how lasting a record must be to answer an inquiry without a caseworker. */
export const REGISTER_ANSWERS = { verifiedWithinDays: 30, validForAtLeastDays: 30 } as const;

const DAY_MS = 24 * 3600 * 1000;

export function statusAnswerOf(record: ResidenceRecord): StatusAnswer {
  return {
    residenceDocument: record.residenceDocument,
    legalBasis: record.legalBasis,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    employmentPermission: record.employmentPermission,
    ...(record.employmentRestriction ? { employmentRestriction: record.employmentRestriction } : {}),
    ...(record.residenceObligation ? { residenceObligation: record.residenceObligation } : {}),
  };
}

/** The record answers only if it is the same person beyond doubt (AZR-Nummer, name and birth date agree; R16). */
export function isCurrentFor(record: ResidenceRecord, subject: InquirySubject, now = new Date()): boolean {
  const sameIdentity =
    record.familyName.localeCompare(subject.familyName, 'de', { sensitivity: 'base' }) === 0 && record.dateOfBirth === subject.dateOfBirth;
  const recentlyVerified = now.getTime() - record.verifiedAt.getTime() <= REGISTER_ANSWERS.verifiedWithinDays * DAY_MS;
  const lastsLongEnough = Date.parse(`${record.validUntil}T00:00:00Z`) - now.getTime() >= REGISTER_ANSWERS.validForAtLeastDays * DAY_MS;
  return sameIdentity && recentlyVerified && lastsLongEnough;
}

export function createResidenceRegisterActivities(dataSource: DataSource): ImmigrationRegisterActivities {
  return {
    async findCurrentStatus(subject: InquirySubject): Promise<StatusAnswer | null> {
      if (!subject.azrNumber) {
        return null;
      }
      const record = await dataSource.getRepository(ResidenceRecord).findOneBy({ azrNumber: subject.azrNumber });
      return record && isCurrentFor(record, subject) ? statusAnswerOf(record) : null;
    },
  };
}
