import * as React from 'react';
import { Box, Typography } from '@strapi/design-system';

interface Point {
  at: string;
  count: number;
}

/** A small, dependency-free SVG bar chart of submissions over time. */
export const SubmissionsChart = ({ points, label, format }: { points: Point[]; label: string; format: (iso: string) => string }) => {
  const width = 640;
  const height = 160;
  const pad = { top: 12, right: 8, bottom: 22, left: 28 };
  const max = Math.max(1, ...points.map((p) => p.count));
  const barWidth = (width - pad.left - pad.right) / Math.max(points.length, 1);
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const every = Math.ceil(points.length / 8);
  return (
    <Box>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={label}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#dcdce4" />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" fontSize="10" fill="#666687">
          {max}
        </text>
        {points.map((p, i) => (
          <g key={p.at}>
            <rect
              x={pad.left + i * barWidth + 2}
              y={y(p.count)}
              width={Math.max(barWidth - 4, 1)}
              height={y(0) - y(p.count)}
              fill="#4945ff"
              rx="2"
            >
              <title>{`${format(p.at)}: ${p.count}`}</title>
            </rect>
            {i % every === 0 && (
              <text x={pad.left + i * barWidth + barWidth / 2} y={height - 6} textAnchor="middle" fontSize="10" fill="#666687">
                {format(p.at)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <Typography variant="pi" textColor="neutral600" className="sr-only">
        {label}
      </Typography>
    </Box>
  );
};
