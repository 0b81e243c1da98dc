import { z } from 'zod';

// Catalogues: ROS systems, default exam systems, dermatology lesion vocabularies, and the size limits
// the template and content schemas share.

/** The 14 review-of-systems systems (CMS 1995/1997 evaluation and management documentation guidelines). */
export const ROS_SYSTEM_IDS = [
  'constitutional',
  'eyes',
  'ent',
  'cardiovascular',
  'respiratory',
  'gastrointestinal',
  'genitourinary',
  'musculoskeletal',
  'skin',
  'neurological',
  'psychiatric',
  'endocrine',
  'hematologic',
  'allergic',
] as const;
export const rosSystemId = z.enum(ROS_SYSTEM_IDS);
export type RosSystemId = z.infer<typeof rosSystemId>;

export const ROS_SYSTEM_LABELS: Readonly<Record<RosSystemId, string>> = {
  constitutional: 'Constitutional',
  eyes: 'Eyes',
  ent: 'Ears, nose, mouth and throat',
  cardiovascular: 'Cardiovascular',
  respiratory: 'Respiratory',
  gastrointestinal: 'Gastrointestinal',
  genitourinary: 'Genitourinary',
  musculoskeletal: 'Musculoskeletal',
  skin: 'Integumentary (skin and breast)',
  neurological: 'Neurological',
  psychiatric: 'Psychiatric',
  endocrine: 'Endocrine',
  hematologic: 'Hematologic/lymphatic',
  allergic: 'Allergic/immunologic',
};

export const rosStatus = z.enum(['not_reviewed', 'negative', 'positive']);
export type RosStatus = z.infer<typeof rosStatus>;
export const examStatus = z.enum(['not_examined', 'normal', 'abnormal']);
export type ExamStatus = z.infer<typeof examStatus>;

export interface ExamSystem {
  id: string;
  label: string;
}

/** Used when an exam field does not list its own systems. */
export const DEFAULT_EXAM_SYSTEMS: readonly ExamSystem[] = [
  { id: 'general', label: 'General' },
  { id: 'heent', label: 'HEENT' },
  { id: 'neck', label: 'Neck' },
  { id: 'cardiovascular', label: 'Cardiovascular' },
  { id: 'lungs', label: 'Lungs' },
  { id: 'abdomen', label: 'Abdomen' },
  { id: 'extremities', label: 'Extremities' },
  { id: 'skin', label: 'Skin' },
  { id: 'neuro', label: 'Neurological' },
  { id: 'psych', label: 'Psychiatric' },
];

export const LESION_MORPHOLOGIES = [
  'macule',
  'patch',
  'papule',
  'plaque',
  'nodule',
  'tumor',
  'vesicle',
  'bulla',
  'pustule',
  'wheal',
  'cyst',
  'erosion',
  'ulcer',
  'fissure',
  'crust',
  'scale',
  'atrophy',
  'scar',
] as const;
export const lesionMorphology = z.enum(LESION_MORPHOLOGIES);
export type LesionMorphology = z.infer<typeof lesionMorphology>;

export const LESION_COLORS = [
  'skin-colored',
  'pink',
  'erythematous',
  'violaceous',
  'purpuric',
  'tan',
  'brown',
  'black',
  'blue-gray',
  'yellow',
  'white',
  'hyperpigmented',
  'hypopigmented',
  'depigmented',
  'variegated',
] as const;
export const lesionColor = z.enum(LESION_COLORS);
export type LesionColor = z.infer<typeof lesionColor>;

export const LESION_BORDERS = ['well-defined', 'ill-defined', 'regular', 'irregular', 'rolled'] as const;
export const lesionBorder = z.enum(LESION_BORDERS);
export type LesionBorder = z.infer<typeof lesionBorder>;

/** Display words for the lesion vocabularies where the value itself is not the word a note uses. */
export const LESION_VALUE_LABELS: Readonly<Record<string, string>> = {
  variegated: 'variegated (several colors)',
};

export interface SelectOption {
  value: string;
  label: string;
}

const sides = (value: string, label: string): SelectOption[] => [
  { value: `${value}-left`, label: `${label}, left` },
  { value: `${value}-right`, label: `${label}, right` },
];

/** Used when a lesion field does not list its own body sites. */
export const DEFAULT_BODY_SITES: readonly SelectOption[] = [
  { value: 'scalp', label: 'Scalp' },
  { value: 'forehead', label: 'Forehead' },
  ...sides('temple', 'Temple'),
  ...sides('eyelid', 'Eyelid'),
  { value: 'nose', label: 'Nose' },
  ...sides('cheek', 'Cheek'),
  ...sides('ear', 'Ear'),
  { value: 'lips', label: 'Lips' },
  { value: 'chin', label: 'Chin' },
  { value: 'oral-mucosa', label: 'Oral mucosa' },
  { value: 'neck-anterior', label: 'Neck, anterior' },
  { value: 'neck-posterior', label: 'Neck, posterior' },
  { value: 'chest', label: 'Chest' },
  ...sides('breast', 'Breast'),
  { value: 'abdomen', label: 'Abdomen' },
  { value: 'upper-back', label: 'Upper back' },
  { value: 'lower-back', label: 'Lower back' },
  ...sides('shoulder', 'Shoulder'),
  ...sides('axilla', 'Axilla'),
  ...sides('upper-arm', 'Upper arm'),
  ...sides('forearm', 'Forearm'),
  ...sides('hand-dorsal', 'Hand, dorsal'),
  ...sides('palm', 'Palm'),
  ...sides('finger', 'Finger'),
  ...sides('fingernail', 'Fingernail'),
  { value: 'buttocks', label: 'Buttocks' },
  { value: 'groin', label: 'Groin' },
  { value: 'genitals', label: 'Genitals' },
  ...sides('thigh', 'Thigh'),
  ...sides('knee', 'Knee'),
  ...sides('lower-leg', 'Lower leg'),
  ...sides('ankle', 'Ankle'),
  ...sides('foot-dorsal', 'Foot, dorsal'),
  ...sides('sole', 'Sole'),
  ...sides('toe', 'Toe'),
  ...sides('toenail', 'Toenail'),
];

/** Caps when a text field names no maxLength, and for the free text inside ROS, exam and lesion values. */
export const DEFAULT_TEXT_MAX = 1000;
export const DEFAULT_TEXTAREA_MAX = 20_000;
export const FINDING_TEXT_MAX = 2000;
export const MAX_LESIONS = 100;
/** Lesion length and width, in mm. */
export const LESION_SIZE_MM = { min: 0.1, max: 1000 } as const;
