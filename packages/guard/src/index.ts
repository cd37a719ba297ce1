export type { DetectionResult, Detector, DetectorName, Finding } from './types.ts';
