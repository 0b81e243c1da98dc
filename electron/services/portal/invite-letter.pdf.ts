import { fill, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { GREY, paper, printDate } from '../documents/billing-print';
import { printable } from '../documents/pdf-text';

export interface InviteLetterInput {
  clinic: { name: string; phone: string };
  patientName: string;
  /** Proxy access: the letter goes to the parent or guardian (named when known). */
  proxy: { name: string } | null;
  /** As printed: "7KQ2M-XW9PD". */
  code: string;
  /** ISO instant the code stops working. */
  expiresAt: string;
  portalUrl: string;
  /** ISO instant the letter was made. */
  madeAt: string;
}

const MESES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "20 de diciembre de 2026" from an ISO date or instant. */
export function fechaLarga(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[3])} de ${MESES[Number(m[2]) - 1]} de ${m[1]}` : iso;
}

/** Splits text into lines no wider than `width` at `size` (whole words; a too-long word stands alone). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Draws the QR code of `text` with its top-left corner at (x, top) as filled rectangles, one per
 * run of dark modules in a row (vector: sharp at any printer resolution, no image to embed), with
 * the 4-module quiet zone the standard asks for around it. Returns the printed side in points.
 */
export function drawQr(page: PDFPage, text: string, x: number, top: number, side: number): number {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const unit = side / (n + 8);
  const originX = x + 4 * unit;
  const originTop = page.getHeight() - top - 4 * unit;
  const ops = [pushGraphicsState(), setFillingGrayscaleColor(0)];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n;) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < n && qr.modules.get(r, end)) end++;
      ops.push(rectangle(originX + c * unit, originTop - (r + 1) * unit, (end - c) * unit, unit));
      c = end;
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
  return side;
}

/**
 * The invitation letter handed or mailed to a patient (or a parent or guardian): who it is for,
 * the one-time code and its expiry, the portal's address with its QR code, and the steps to
 * register in English and Spanish. Important: nothing about the patient's health, and no birth
 * date (the patient types it to register): only the name and the code.
 */
export async function inviteLetterPdf(input: InviteLetterInput): Promise<Uint8Array> {
  const p = await paper(`Patient portal invitation - ${input.patientName}`, [612, 792]);
  const page = p.addPage();
  const { clinic } = input;
  p.text(page, clinic.name, 50, 56, { size: 16, bold: true, width: 340 });
  if (clinic.phone) p.text(page, clinic.phone, 50, 74, { size: 10, color: GREY });
  p.text(page, printDate(input.madeAt), 562, 56, { size: 10, right: true });
  p.rule(page, 50, 562, 90);

  const to = input.proxy ? `Parent/guardian of ${input.patientName}` : input.patientName;
  p.text(page, `To: ${to}`, 50, 116, { size: 12, bold: true, width: 500 });
  if (input.proxy) p.text(page, `Attention: ${input.proxy.name}`, 50, 132, { size: 10, width: 500 });

  p.text(page, 'Your invitation to our patient portal', 50, 164, { size: 15, bold: true });
  p.text(page, 'Su invitación a nuestro portal del paciente', 50, 182, { size: 12, color: GREY });

  // The code, large, in a box; the QR code of the portal's address beside it.
  page.drawRectangle({ x: 50, y: 792 - 300, width: 330, height: 100, borderWidth: 1, borderColor: GREY });
  p.text(page, 'Your code / Su código', 64, 222, { size: 10, color: GREY });
  p.text(page, input.code, 64, 256, { size: 30, bold: true });
  p.text(page, `Valid until ${printDate(input.expiresAt)}`, 64, 276, { size: 9.5 });
  p.text(page, `Válido hasta el ${fechaLarga(input.expiresAt)}`, 64, 289, { size: 9.5 });
  drawQr(page, input.portalUrl, 412, 196, 150);
  const scan = 'Scan / Escanee';
  p.text(page, scan, 487 - p.regular.widthOfTextAtSize(scan, 9) / 2, 356, { size: 9, color: GREY });
  // The address is never cut short: a long one is printed smaller.
  let urlSize = 11;
  while (urlSize > 6 && p.bold.widthOfTextAtSize(printable(input.portalUrl), urlSize) > 340) urlSize -= 0.5;
  p.text(page, input.portalUrl, 50, 324, { size: urlSize, bold: true });

  const who = input.proxy ? "your child's" : 'your';
  const nacimiento = input.proxy ? 'la fecha de nacimiento de su hijo o hija' : 'su fecha de nacimiento';
  const callUs = clinic.phone ? ` call us at ${clinic.phone}` : ' call the clinic';
  const llame = clinic.phone ? ` llámenos al ${clinic.phone}` : ' llame a la clínica';
  const steps: { title: string; lines: string[] }[] = [
    {
      title: 'How to sign up',
      lines: [
        `1. Go to ${input.portalUrl} or scan the QR code with your phone's camera.`,
        `2. Choose "Register" and enter the code above and ${who} date of birth.`,
        '3. Choose a password. You can then read messages, results and visit summaries, and fill in forms before a visit.',
        `The code works once and expires on ${printDate(input.expiresAt)}. If it has expired, or you did not ask for it,${callUs}.`,
      ],
    },
    {
      title: 'Cómo registrarse',
      lines: [
        `1. Visite ${input.portalUrl} o escanee el código QR con la cámara de su teléfono.`,
        `2. Elija "Registrarse" e ingrese el código de arriba y ${nacimiento}.`,
        '3. Elija una contraseña. Después podrá leer mensajes, resultados y resúmenes de visitas, y llenar formularios antes de una visita.',
        `El código sirve una sola vez y vence el ${fechaLarga(input.expiresAt)}. Si venció, o si usted no lo pidió,${llame}.`,
      ],
    },
  ];
  let top = 396;
  for (const block of steps) {
    p.text(page, block.title, 50, top, { size: 12, bold: true });
    top += 18;
    for (const para of block.lines) {
      for (const line of wrap(para, p.regular, 10.5, 500)) {
        p.text(page, line, 50, top, { size: 10.5 });
        top += 14;
      }
      top += 4;
    }
    top += 12;
  }
  p.rule(page, 50, 562, 740);
  p.text(page, 'Keep this letter private: the code opens your health record. / Guarde esta carta: el código abre su expediente.', 50, 756, {
    size: 8.5,
    color: GREY,
    width: 512,
  });
  return p.doc.save();
}
