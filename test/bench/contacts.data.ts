// Area codes, places, streets, payers and languages for synthetic patients' contact details.

export const AREA_CODES = [
  '201',
  '212',
  '213',
  '206',
  '215',
  '303',
  '305',
  '312',
  '313',
  '404',
  '415',
  '503',
  '504',
  '505',
  '512',
  '602',
  '612',
  '614',
  '617',
  '702',
  '713',
  '718',
  '720',
  '773',
  '786',
  '801',
  '808',
  '907',
  '916',
  '919',
];
export const PLACES: readonly (readonly [string, string, string])[] = [
  ['Boston', 'MA', '021'],
  ['Springfield', 'IL', '627'],
  ['Portland', 'OR', '972'],
  ['Albuquerque', 'NM', '871'],
  ['San José', 'CA', '951'],
  ['El Paso', 'TX', '799'],
  ['Miami', 'FL', '331'],
  ['Detroit', 'MI', '482'],
  ['Honolulu', 'HI', '968'],
  ['Anchorage', 'AK', '995'],
  ['Raleigh', 'NC', '276'],
  ['Coeur d’Alene', 'ID', '838'],
];
export const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Sunset', 'Río Grande', 'Peachtree'];
export const STREET_KINDS = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Way', 'Ct'];
export const PAYERS = ['Example Health Plan', 'Sample Mutual', 'Demo Medicaid', 'Placeholder Medicare Advantage', 'Fictive Care PPO'];
export const LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'es', 'es', 'vi', 'zh', 'ar', 'pt', 'fr', 'pl', 'tl'];
