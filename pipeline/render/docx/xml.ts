/**
 * WordprocessingML that the docx package has no class for (complex fields with a cached result, bookmarks with ids of
 * our own, OMML math), written as XML and handed to docx as an imported component.
 */
import {ImportedXmlComponent, type ParagraphChild} from 'docx'

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** A fragment of runs, fields or math placed among a paragraph's children. */
export function rawXml(xml: string): ParagraphChild {
  return ImportedXmlComponent.fromXmlString(xml) as unknown as ParagraphChild
}

/** One run of text, with run properties already written as XML (`<w:rPr>…</w:rPr>`, or nothing). */
export function runXml(text: string, properties = ''): string {
  return `<w:r>${properties}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
}
