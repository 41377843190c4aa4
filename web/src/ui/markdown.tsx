/** Guidance and notes written in Markdown (playbooks are edited by managers): rendered as elements, raw HTML never parsed. */
import MarkdownToJsx from 'markdown-to-jsx/react';

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <MarkdownToJsx options={{ disableParsingRawHTML: true, forceBlock: true }}>{text}</MarkdownToJsx>
    </div>
  );
}
