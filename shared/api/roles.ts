import type { Role } from '../domain/user';

/**
 * The role groups the channels are granted to. Front desk sees demographics and visits but no
 * notes, vitals or results; billing sees demographics, insurance and diagnosis codes but no note
 * text; only physicians sign notes and prescriptions; only administrators manage users and settings.
 */
export const CLINICAL: readonly Role[] = ['physician', 'nurse', 'admin'];
export const CLINICAL_WRITE: readonly Role[] = ['physician', 'nurse'];
export const DEMOGRAPHICS_READ: readonly Role[] = ['physician', 'nurse', 'front_desk', 'billing', 'admin'];
export const DEMOGRAPHICS_WRITE: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];
export const CODES_READ: readonly Role[] = ['physician', 'nurse', 'billing', 'admin'];
export const PHYSICIAN: readonly Role[] = ['physician'];
export const ADMIN: readonly Role[] = ['admin'];
