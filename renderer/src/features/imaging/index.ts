/** Imaging orders in the chart: the only door other features and the app shell use. */
export { ImagingTab } from './ImagingTab';
