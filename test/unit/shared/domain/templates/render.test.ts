import { describe, expect, it } from 'vitest';
import { renderNoteText } from '../../../../../shared/domain/templates';
import { miniTemplate } from './templates.helpers';

describe('ROS rendering', () => {
  const t = miniTemplate();
  const rosLine = (ros: unknown): string[] => renderNoteText(t, { ros }).sections.flatMap((s) => s.lines);

  it('"all others negative" reads every not-reviewed system as negative', () => {
    expect(
      rosLine({
        allOthersNegative: true,
        systems: {
          constitutional: { status: 'negative' },
          cardiovascular: { status: 'positive', text: 'chest pain on exertion' },
          skin: { status: 'not_reviewed' },
        },
      }),
    ).toEqual(['ROS: Constitutional: negative. Cardiovascular: positive — chest pain on exertion. All other systems negative.']);
  });

  it('without the switch lists only what was reviewed, pertinent negatives included', () => {
    expect(
      rosLine({
        allOthersNegative: false,
        systems: {
          respiratory: { status: 'negative', text: 'no cough\nor wheeze' },
          eyes: { status: 'not_reviewed' },
          constitutional: { status: 'positive', text: 'fever to 38.5' },
        },
      }),
    ).toEqual(['ROS: Constitutional: positive — fever to 38.5. Respiratory: negative — no cough or wheeze.']);
  });

  it('says nothing when nothing was reviewed, and needs no "others" sentence when every system was answered', () => {
    expect(rosLine({ allOthersNegative: false, systems: { eyes: { status: 'not_reviewed' } } })).toEqual([]);
    const t2 = miniTemplate([{ id: 'ros2', kind: 'ros', label: 'Focused ROS', systems: ['respiratory'] }]);
    const lines = renderNoteText(t2, { ros2: { allOthersNegative: true, systems: { respiratory: { status: 'negative' } } } }).sections[0]!.lines;
    expect(lines).toEqual(['Focused ROS: Respiratory: negative.']);
  });
});

describe('rendering guards', () => {
  it('refuses content that does not fit the template', () => {
    expect(() => renderNoteText(miniTemplate(), { 'heart-rate': 999 })).toThrow(/does not fit template "mini" version 1[\s\S]*Heart rate must be between/);
  });
});
