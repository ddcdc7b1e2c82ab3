/**
 * The demo district's vocabulary: obviously fictional names and places, IDEA's disability
 * categories with a realistic mix, and goal templates with the measures teachers really record
 * (domain.md "Measurement kinds").
 */
import type { Direction } from "../../convex/model/progressMath";

export const FIRST_NAMES = [
  "Avery", "Blake", "Camila", "Dante", "Elena", "Finn", "Gianna", "Hugo", "Isla", "Jasper",
  "Keira", "Leo", "Maya", "Nico", "Olive", "Pablo", "Quinn", "Rosa", "Silas", "Tessa",
  "Uriel", "Vera", "Wes", "Ximena", "Yusuf", "Zoe", "Amara", "Bodhi", "Cora", "Diego",
  "Esme", "Felix", "Greta", "Hana", "Ivan", "José", "Lucía", "Mateo", "Nora", "Omar",
  "Priya", "Rafael", "Sofía", "Theo", "Valentina", "Wren", "Yara", "Zane", "Ada", "Ezra",
] as const;

/** Made-up surnames so nobody mistakes the demo for real people. */
export const LAST_NAMES = [
  "Applewood", "Brightwater", "Copperfield", "Dunmore", "Everbright", "Foxglove", "Greenbriar",
  "Hollowell", "Ironwood", "Juniperlee", "Kestrelton", "Larkspur", "Mossgrove", "Nettlefield",
  "Oakhaven", "Pebbleton", "Quillfeather", "Ravensworth", "Silverbrook", "Thistledown",
  "Umberfield", "Valemont", "Willowmere", "Yarrowby", "Zephyrine", "Amberly-Núñez",
  "Bramblecote", "Cindervale", "Dewberry", "Emberstone", "Fernhollow", "Glimmerton",
] as const;

/** IDEA's 13 categories (34 CFR 300.8) with approximate national shares of students served. */
export const DISABILITY_CATEGORIES = [
  ["Specific learning disability", 32],
  ["Speech or language impairment", 19],
  ["Other health impairment", 15],
  ["Autism", 12],
  ["Developmental delay", 7],
  ["Intellectual disability", 6],
  ["Emotional disturbance", 5],
  ["Multiple disabilities", 2],
  ["Hearing impairment", 1],
  ["Orthopedic impairment", 0.5],
  ["Visual impairment", 0.4],
  ["Traumatic brain injury", 0.4],
  ["Deaf-blindness", 0.1],
] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number][0];

export const GRADES = ["PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "Transition"] as const;
export type Grade = (typeof GRADES)[number];

/** Age on the first day of school for a grade (PK = 4, Transition = 18–21). */
export function typicalAge(grade: Grade): number {
  if (grade === "PK") return 4;
  if (grade === "K") return 5;
  if (grade === "Transition") return 19;
  return 5 + Number(grade);
}

export type GoalDomain = "academic" | "behavioral" | "communication" | "social" | "motor" | "adaptive" | "vocational";
export type ProviderKind = "case_manager" | "slp" | "ot" | "pt" | "psychologist" | "counselor" | "bcba" | "transition";

export interface GoalTemplate {
  domain: GoalDomain;
  description: string; // "{name}" is replaced by the student's first name
  measurement: string;
  unit: string;
  direction: Direction;
  /** Baseline range and the change expected over a year (signed in the goal's direction). */
  baseline: [number, number];
  yearlyGain: [number, number];
  min: number;
  max: number;
  noiseSd: number;
  integer: boolean;
  frequency: string;
  sessionsPerWeek: number;
  evaluationMethod: string;
  conditions: string;
  provider: ProviderKind;
  masterySessions: number;
  sessionMinutes: number;
}

const percent = { min: 0, max: 100, integer: true } as const;

export const GOAL_TEMPLATES: readonly GoalTemplate[] = [
  {
    domain: "academic", description: "Given a grade-level passage, {name} will read aloud with increasing fluency.",
    measurement: "words correct per minute", unit: "wcpm", direction: "increase", baseline: [25, 70], yearlyGain: [30, 45],
    min: 0, max: 220, noiseSd: 6, integer: true, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Curriculum-based measurement: oral reading fluency probe", conditions: "1-minute timed reading of an unpractised passage",
    provider: "case_manager", masterySessions: 3, sessionMinutes: 5,
  },
  {
    domain: "academic", description: "{name} will solve mixed addition and subtraction problems accurately.",
    measurement: "digits correct in 2 minutes", unit: "digits correct", direction: "increase", baseline: [8, 25], yearlyGain: [15, 25],
    min: 0, max: 80, noiseSd: 3, integer: true, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Curriculum-based measurement: math computation probe", conditions: "2-minute timed worksheet",
    provider: "case_manager", masterySessions: 3, sessionMinutes: 5,
  },
  {
    domain: "academic", description: "{name} will write organized paragraphs with correct word sequences.",
    measurement: "correct word sequences in 3 minutes", unit: "CWS", direction: "increase", baseline: [10, 30], yearlyGain: [12, 20],
    min: 0, max: 120, noiseSd: 4, integer: true, frequency: "every two weeks", sessionsPerWeek: 0.5,
    evaluationMethod: "Curriculum-based measurement: written expression probe", conditions: "3-minute story starter",
    provider: "case_manager", masterySessions: 3, sessionMinutes: 10,
  },
  {
    domain: "communication", description: "{name} will produce /r/ correctly in words and sentences.",
    measurement: "percent of trials correct", unit: "% of trials", direction: "increase", baseline: [20, 45], yearlyGain: [35, 50],
    ...percent, noiseSd: 8, frequency: "twice weekly", sessionsPerWeek: 2,
    evaluationMethod: "Speech-language pathologist data sheet (20 trials)", conditions: "structured practice with picture cues",
    provider: "slp", masterySessions: 3, sessionMinutes: 30,
  },
  {
    domain: "communication", description: "{name} will request items and help using phrases of three or more words.",
    measurement: "percent of opportunities", unit: "% of opportunities", direction: "increase", baseline: [10, 35], yearlyGain: [35, 55],
    ...percent, noiseSd: 9, frequency: "twice weekly", sessionsPerWeek: 2,
    evaluationMethod: "Event recording across classroom routines", conditions: "natural classroom opportunities",
    provider: "slp", masterySessions: 3, sessionMinutes: 30,
  },
  {
    domain: "behavioral", description: "{name} will reduce disruptive outbursts during instruction.",
    measurement: "outbursts per school day", unit: "outbursts per day", direction: "decrease", baseline: [5, 10], yearlyGain: [4, 8],
    min: 0, max: 20, noiseSd: 1.4, integer: true, frequency: "daily (summarized twice weekly)", sessionsPerWeek: 2,
    evaluationMethod: "Frequency count on the behavior intervention plan data sheet", conditions: "whole school day",
    provider: "bcba", masterySessions: 5, sessionMinutes: 390,
  },
  {
    domain: "behavioral", description: "{name} will stay on task during independent work.",
    measurement: "percent of intervals on task", unit: "% of intervals", direction: "increase", baseline: [30, 55], yearlyGain: [25, 40],
    ...percent, noiseSd: 7, frequency: "twice weekly", sessionsPerWeek: 2,
    evaluationMethod: "Momentary time sampling, 30-second intervals", conditions: "20-minute independent work block",
    provider: "case_manager", masterySessions: 3, sessionMinutes: 20,
  },
  {
    domain: "social", description: "{name} will start and keep up conversations with peers.",
    measurement: "peer interactions initiated per recess", unit: "initiations", direction: "increase", baseline: [0, 2], yearlyGain: [3, 5],
    min: 0, max: 15, noiseSd: 0.9, integer: true, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Direct observation at recess", conditions: "unstructured recess with prompting faded",
    provider: "counselor", masterySessions: 3, sessionMinutes: 25,
  },
  {
    domain: "motor", description: "{name} will form letters legibly when copying sentences.",
    measurement: "percent of letters legible", unit: "% of letters", direction: "increase", baseline: [35, 60], yearlyGain: [25, 35],
    ...percent, noiseSd: 6, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Occupational therapist handwriting sample", conditions: "copying two sentences from the board",
    provider: "ot", masterySessions: 3, sessionMinutes: 30,
  },
  {
    domain: "motor", description: "{name} will move between classes with a walker in less time.",
    measurement: "minutes to transition between classes", unit: "minutes", direction: "decrease", baseline: [8, 12], yearlyGain: [3, 5],
    min: 1, max: 20, noiseSd: 0.7, integer: false, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Timed observation by the physical therapist", conditions: "passing period, typical hallway traffic",
    provider: "pt", masterySessions: 3, sessionMinutes: 15,
  },
  {
    domain: "adaptive", description: "{name} will complete the arrival routine independently.",
    measurement: "percent of task-analysis steps independent", unit: "% of steps", direction: "increase", baseline: [20, 50], yearlyGain: [30, 45],
    ...percent, noiseSd: 8, frequency: "twice weekly", sessionsPerWeek: 2,
    evaluationMethod: "Task analysis (10 steps) with prompt levels", conditions: "morning arrival",
    provider: "case_manager", masterySessions: 5, sessionMinutes: 15,
  },
  {
    domain: "vocational", description: "{name} will complete assigned job-site tasks without adult prompts.",
    measurement: "percent of job tasks completed independently", unit: "% of tasks", direction: "increase", baseline: [25, 50], yearlyGain: [25, 40],
    ...percent, noiseSd: 7, frequency: "weekly", sessionsPerWeek: 1,
    evaluationMethod: "Job coach checklist", conditions: "community work site, 2-hour shift",
    provider: "transition", masterySessions: 3, sessionMinutes: 120,
  },
];

/** Which goal domains suit a disability (first is the most likely). */
export const DOMAINS_BY_DISABILITY: Record<DisabilityCategory, readonly GoalDomain[]> = {
  "Specific learning disability": ["academic", "academic", "behavioral"],
  "Speech or language impairment": ["communication", "communication", "social"],
  "Other health impairment": ["behavioral", "academic", "adaptive"],
  Autism: ["communication", "social", "behavioral", "adaptive"],
  "Developmental delay": ["communication", "adaptive", "motor"],
  "Intellectual disability": ["adaptive", "academic", "communication"],
  "Emotional disturbance": ["behavioral", "social", "academic"],
  "Multiple disabilities": ["adaptive", "motor", "communication"],
  "Hearing impairment": ["communication", "academic"],
  "Orthopedic impairment": ["motor", "academic"],
  "Visual impairment": ["academic", "adaptive", "motor"],
  "Traumatic brain injury": ["academic", "behavioral", "motor"],
  "Deaf-blindness": ["communication", "adaptive", "motor"],
};

export const PLACEMENTS = [
  "General education classroom with resource support (80% or more of the day in general education)",
  "Resource room (40–79% of the day in general education)",
  "Self-contained special education classroom (less than 40% in general education)",
  "Separate day school program",
] as const;

export const ACCOMMODATIONS = [
  { category: "Testing", description: "Extended time (1.5x) on tests and quizzes", setting: "All classes" },
  { category: "Testing", description: "Tests read aloud (except reading comprehension)", setting: "Small-group testing room" },
  { category: "Instruction", description: "Preferential seating near instruction", setting: "General education classroom" },
  { category: "Instruction", description: "Graphic organizers and guided notes", setting: "Core academic classes" },
  { category: "Environment", description: "Scheduled movement breaks every 30 minutes", setting: "All settings" },
  { category: "Assistive technology", description: "Text-to-speech software", setting: "All classes" },
  { category: "Communication", description: "Visual schedule and first/then board", setting: "All settings" },
  { category: "Environment", description: "Noise-reducing headphones during independent work", setting: "Classroom" },
] as const;

export const MODIFICATIONS = [
  { subject: "Mathematics", description: "Reduced number of problems per assignment", criteria: "Mastery of the modified set at 80%" },
  { subject: "English language arts", description: "Reading passages at instructional level", criteria: "Comprehension questions at 75%" },
  { subject: "Science", description: "Alternate assessment using picture-supported vocabulary", criteria: "Key concepts at 70%" },
] as const;

export const MEDICAL_NOTES = [
  "Asthma: rescue inhaler kept in the nurse's office; may need breaks in cold weather.",
  "Peanut allergy: epinephrine auto-injector in backpack and nurse's office.",
  "Type 1 diabetes: glucose checks before lunch and PE; snacks allowed in class.",
  "Seizure disorder: seizure action plan on file; staff trained in response.",
  "Takes ADHD medication at home; no doses during the school day.",
  "Wears hearing aids; FM system used in core classes.",
] as const;

export const TRANSPORTATION_NOTES = [
  "Special transportation: lift-equipped bus, door to door.",
  "Bus aide on route; seated near the driver.",
  "Parent drives; early dismissal on therapy days.",
] as const;

export const RELATIONSHIPS = [
  ["mother", 45],
  ["father", 35],
  ["grandmother", 8],
  ["legal guardian", 6],
  ["foster parent", 4],
  ["aunt", 2],
] as const;
