/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type * as auditLog from "../auditLog.js";
import type * as auth from "../auth.js";
import type * as authLinks from "../authLinks.js";
import type * as collaboration from "../collaboration.js";
import type * as compliance from "../compliance.js";
import type * as crons from "../crons.js";
import type * as disclosures from "../disclosures.js";
import type * as documents from "../documents.js";
import type * as evaluations from "../evaluations.js";
import type * as fixtures_accessWorld from "../fixtures/accessWorld.js";
import type * as goals from "../goals.js";
import type * as http from "../http.js";
import type * as ieps from "../ieps.js";
import type * as invitations from "../invitations.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as mail_devMailbox from "../mail/devMailbox.js";
import type * as mail_message from "../mail/message.js";
import type * as mail_outbox from "../mail/outbox.js";
import type * as mail_sender from "../mail/sender.js";
import type * as mail_smtpClient from "../mail/smtpClient.js";
import type * as mail_smtpDelivery from "../mail/smtpDelivery.js";
import type * as model_access from "../model/access.js";
import type * as model_audit from "../model/audit.js";
import type * as model_authTables from "../model/authTables.js";
import type * as model_calendarDate from "../model/calendarDate.js";
import type * as model_complianceClocks from "../model/complianceClocks.js";
import type * as model_complianceInput from "../model/complianceInput.js";
import type * as model_crypto from "../model/crypto.js";
import type * as model_currentUser from "../model/currentUser.js";
import type * as model_dates from "../model/dates.js";
import type * as model_iepContent from "../model/iepContent.js";
import type * as model_iepLifecycle from "../model/iepLifecycle.js";
import type * as model_invitations from "../model/invitations.js";
import type * as model_progressMath from "../model/progressMath.js";
import type * as model_progressRecords from "../model/progressRecords.js";
import type * as model_searchName from "../model/searchName.js";
import type * as model_seedRecords from "../model/seedRecords.js";
import type * as model_siteUrl from "../model/siteUrl.js";
import type * as model_studentRecords from "../model/studentRecords.js";
import type * as model_validators from "../model/validators.js";
import type * as organizations from "../organizations.js";
import type * as progress from "../progress.js";
import type * as progressReports from "../progressReports.js";
import type * as recordsRequests from "../recordsRequests.js";
import type * as seed from "../seed.js";
import type * as students from "../students.js";
import type * as testFixtures from "../testFixtures.js";
import type * as users from "../users.js";

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";

declare const fullApi: ApiFromModules<{
  auditLog: typeof auditLog;
  auth: typeof auth;
  authLinks: typeof authLinks;
  collaboration: typeof collaboration;
  compliance: typeof compliance;
  crons: typeof crons;
  disclosures: typeof disclosures;
  documents: typeof documents;
  evaluations: typeof evaluations;
  "fixtures/accessWorld": typeof fixtures_accessWorld;
  goals: typeof goals;
  http: typeof http;
  ieps: typeof ieps;
  invitations: typeof invitations;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "mail/devMailbox": typeof mail_devMailbox;
  "mail/message": typeof mail_message;
  "mail/outbox": typeof mail_outbox;
  "mail/sender": typeof mail_sender;
  "mail/smtpClient": typeof mail_smtpClient;
  "mail/smtpDelivery": typeof mail_smtpDelivery;
  "model/access": typeof model_access;
  "model/audit": typeof model_audit;
  "model/authTables": typeof model_authTables;
  "model/calendarDate": typeof model_calendarDate;
  "model/complianceClocks": typeof model_complianceClocks;
  "model/complianceInput": typeof model_complianceInput;
  "model/crypto": typeof model_crypto;
  "model/currentUser": typeof model_currentUser;
  "model/dates": typeof model_dates;
  "model/iepContent": typeof model_iepContent;
  "model/iepLifecycle": typeof model_iepLifecycle;
  "model/invitations": typeof model_invitations;
  "model/progressMath": typeof model_progressMath;
  "model/progressRecords": typeof model_progressRecords;
  "model/searchName": typeof model_searchName;
  "model/seedRecords": typeof model_seedRecords;
  "model/siteUrl": typeof model_siteUrl;
  "model/studentRecords": typeof model_studentRecords;
  "model/validators": typeof model_validators;
  organizations: typeof organizations;
  progress: typeof progress;
  progressReports: typeof progressReports;
  recordsRequests: typeof recordsRequests;
  seed: typeof seed;
  students: typeof students;
  testFixtures: typeof testFixtures;
  users: typeof users;
}>;

/**
 * A utility for referencing Convex functions in your app's public API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;

/**
 * A utility for referencing Convex functions in your app's internal API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = internal.myModule.myFunction;
 * ```
 */
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  betterAuth: import("../betterAuth/_generated/component.js").ComponentApi<"betterAuth">;
};
