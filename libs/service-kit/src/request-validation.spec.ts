import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { InboxQuery } from '@handoffs/handoff-records';
import { validationPipe } from './bootstrap';
import { publishValidation } from './openapi-contract';
import type { OpenAPIObject } from '@nestjs/swagger';

class PlaceDto {
  @ApiProperty() @IsString() @MaxLength(60) land!: string;
}

class RequestDto {
  @ApiProperty() @Matches(/^[a-z]{2,8}$/) caseworkerId!: string;
  @ApiProperty({ enum: ['a', 'b'] }) @IsIn(['a', 'b']) kind!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) at?: string;
  @ApiPropertyOptional({ type: PlaceDto }) @IsOptional() @ValidateNested() @Type(() => PlaceDto) place?: PlaceDto;
}

async function problemsOf(value: unknown, metatype: new () => unknown, type: 'body' | 'query' = 'body'): Promise<string[]> {
  try {
    await validationPipe.transform(value, { type, metatype });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { errors: { field: string }[] }).errors.map((e) => e.field);
  }
}

describe('request validation', () => {
  it('refuses keys named like members of every object, which class-transformer would drop unseen, with the other bad fields', async () => {
    expect(await problemsOf({ caseworkerId: 'ab', kind: 'a', toString: 'x' }, RequestDto)).toEqual(['toString']);
    expect(await problemsOf({ caseworkerId: 'ab', kind: 'a', place: { land: 'x', valueOf: 1 } }, RequestDto)).toEqual(['place.valueOf']);
    expect(await problemsOf({ caseworkerId: 'AB', kind: 'a', hasOwnProperty: null, prototype: 1 }, RequestDto)).toEqual(['hasOwnProperty', 'prototype', 'caseworkerId']);
    expect(await problemsOf({ caseworkerId: 'ab', kind: 'a' }, RequestDto)).toEqual([]);
  });

  it('refuses a dueBefore that strict ISO 8601 allows but JavaScript cannot read (it was a 500)', async () => {
    expect(await problemsOf({ dueBefore: '1970-01-01T00' }, InboxQuery, 'query')).toEqual(['dueBefore']);
    expect(await problemsOf({ dueBefore: '2026-W01' }, InboxQuery, 'query')).toEqual(['dueBefore']);
    expect(await problemsOf({ dueBefore: '2026-01-15T10:00:00Z' }, InboxQuery, 'query')).toEqual([]);
    expect(await problemsOf({ dueBefore: '2026-01-15' }, InboxQuery, 'query')).toEqual([]);
  });

  it('publishes what the validators check in the OpenAPI document', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things/{caseRef}': {
          post: {
            parameters: [{ in: 'path', name: 'caseRef', required: true, schema: { type: 'string' } }],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/RequestDto' } } } },
          },
        },
      },
      components: {
        schemas: {
          RequestDto: {
            type: 'object',
            properties: { caseworkerId: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] }, at: { type: 'string' }, place: { $ref: '#/components/schemas/PlaceDto' } },
            required: ['caseworkerId', 'kind'],
          },
          PlaceDto: { type: 'object', properties: { land: { type: 'string' } }, required: ['land'] },
        },
      },
    } as unknown as OpenAPIObject;
    const published = publishValidation(document);
    const schemas = published.components?.schemas as Record<string, { additionalProperties?: boolean; properties: Record<string, object> }>;
    expect(schemas.RequestDto.additionalProperties).toBe(false);
    expect(schemas.RequestDto.properties).toMatchObject({
      caseworkerId: { pattern: '^[a-z]{2,8}$' },
      at: { format: 'date-time', nullable: true },
      place: { nullable: true },
    });
    expect(schemas.PlaceDto).toMatchObject({ additionalProperties: false, properties: { land: { maxLength: 60 } } });
    expect((published.paths['/things/{caseRef}'].post?.parameters?.[0] as { schema: object }).schema).toMatchObject({ pattern: expect.stringContaining('[A-Z]{2,5}') });
  });
});
